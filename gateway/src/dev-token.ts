import { parseArgs } from 'node:util';
import { loadConfig, ROLES, type Env, type Role } from '@aftercare/kit';
import jwt from 'jsonwebtoken';
import { z } from 'zod';

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

const USAGE =
  'usage: dev-token --user <id> --role <role> [--role <role> …] [--ttl 8h]  (JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE from the environment)';

const envSchema = z.object({
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
});

/** `dev-token --user alice --role agent --role manager [--ttl 8h]`; throws a usage message on bad input. */
export function devTokenFromArgs(args: string[], env: Env = process.env): string {
  const { values } = parseArgs({
    args,
    options: {
      user: { type: 'string' },
      role: { type: 'string', multiple: true },
      ttl: { type: 'string', default: '8h' },
    },
  });
  if (!values.user) throw new Error(`--user is required\n${USAGE}`);
  const roles = values.role ?? [];
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) {
    throw new Error(`unknown role(s) ${unknown.join(', ')}; roles are: ${ROLES.join(', ')}`);
  }
  if (!/^\d+[smhd]?$/.test(values.ttl))
    throw new Error(`--ttl must look like 3600, 30m, 8h or 7d\n${USAGE}`);
  const config = loadConfig(envSchema, env);
  return signDevToken({
    sub: values.user,
    roles: roles as Role[],
    secret: config.JWT_SECRET,
    ttl: (/^\d+$/.test(values.ttl) ? Number(values.ttl) : values.ttl) as DevTokenOptions['ttl'],
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
}
