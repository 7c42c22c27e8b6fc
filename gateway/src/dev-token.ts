import type { Role } from '@aftercare/kit';
import jwt from 'jsonwebtoken';

export interface DevTokenOptions {
  /** The user id (`sub`). */
  sub: string;
  roles: readonly Role[];
  secret: string;
  /** Lifetime: seconds, or a duration such as `8h` (default `8h`). */
  ttl?: number | `${number}${'s' | 'm' | 'h' | 'd'}`;
  issuer?: string;
  audience?: string;
}

/** An HS256 token the gateway accepts, for development and tests. */
export function signDevToken({
  sub,
  roles,
  secret,
  ttl = '8h',
  issuer,
  audience,
}: DevTokenOptions): string {
  return jwt.sign({ roles }, secret, {
    algorithm: 'HS256',
    subject: sub,
    expiresIn: ttl,
    ...(issuer ? { issuer } : {}),
    ...(audience ? { audience } : {}),
  });
}
