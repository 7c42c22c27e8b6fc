import { parseArgs } from 'node:util';
import { loadConfig, ROLES, type Env, type Role } from '@aftercare/kit';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { DEFAULT_JWT_MAX_LIFETIME_S } from './auth';

export interface DevTokenOptions {
  /** The user id (`sub`). */
  sub: string;
  roles: readonly Role[];
  secret: string;
  /** Lifetime: seconds, or a duration such as `8h` (default: the gateway's default maximum, 1 h). */
  ttl?: number | `${number}${'s' | 'm' | 'h' | 'd'}`;
  issuer?: string;
  audience?: string;
}

/** An HS256 token the gateway accepts, for development and tests. */
export function signDevToken({
  sub,
  roles,
  secret,
  ttl = DEFAULT_JWT_MAX_LIFETIME_S,
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
  'usage: dev-token --user <id> --role <role> [--role <role> …] [--ttl 1h]  (JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE, JWT_MAX_LIFETIME_S from the environment)';

const envSchema = z.object({
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  JWT_MAX_LIFETIME_S: z.coerce.number().int().min(1).default(DEFAULT_JWT_MAX_LIFETIME_S),
});

const SECONDS_PER_UNIT = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/**
 * `dev-token --user alice --role agent --role manager [--ttl 1h]`; throws a usage message on bad
 * input. The token lives `--ttl`, by default as long as the gateway allows (JWT_MAX_LIFETIME_S).
 */
export function devTokenFromArgs(args: string[], env: Env = process.env): string {
  const { values } = parseArgs({
    args,
    options: {
      user: { type: 'string' },
      role: { type: 'string', multiple: true },
      ttl: { type: 'string' },
    },
  });
  if (!values.user) throw new Error(`--user is required\n${USAGE}`);
  const roles = values.role ?? [];
  if (roles.length === 0)
    throw new Error(`--role is required: the gateway refuses a token without one\n${USAGE}`);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) {
    throw new Error(`unknown role(s) ${unknown.join(', ')}; roles are: ${ROLES.join(', ')}`);
  }
  const ttl = values.ttl === undefined ? undefined : /^(\d+)([smhd]?)$/.exec(values.ttl);
  if (ttl === null) throw new Error(`--ttl must look like 3600, 30m, 8h or 7d\n${USAGE}`);
  const config = loadConfig(envSchema, env);
  const seconds = ttl
    ? Number(ttl[1]) * SECONDS_PER_UNIT[(ttl[2] || 's') as keyof typeof SECONDS_PER_UNIT]
    : config.JWT_MAX_LIFETIME_S;
  if (seconds > config.JWT_MAX_LIFETIME_S)
    throw new Error(
      `--ttl ${values.ttl} is longer than the gateway accepts (JWT_MAX_LIFETIME_S=${config.JWT_MAX_LIFETIME_S})`,
    );
  return signDevToken({
    sub: values.user,
    roles: roles as Role[],
    secret: config.JWT_SECRET,
    ttl: seconds,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
}
