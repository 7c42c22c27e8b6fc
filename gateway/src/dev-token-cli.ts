import { parseArgs } from 'node:util';
import { loadConfig, ROLES, type Env, type Role } from '@aftercare/kit';
import { z } from 'zod';
import { signDevToken, type DevTokenOptions } from './dev-token';

const USAGE =
  'usage: dev-token --user <id> --role <role> [--role <role> …] [--ttl 8h]  (JWT_SECRET from the environment)';

const envSchema = z.object({
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
});

/** Signs a token from command-line arguments; throws with a usage message on bad input. */
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
  if (unknown.length > 0)
    throw new Error(`unknown role(s) ${unknown.join(', ')}; roles are: ${ROLES.join(', ')}`);
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

if (require.main === module) {
  try {
    console.log(devTokenFromArgs(process.argv.slice(2)));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
