import { loadConfig, type Env } from '@aftercare/kit';
import { z } from 'zod';
import { SUBGRAPHS, SUPERGRAPH_FILE, subgraphUrlVariable } from './subgraphs';

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const urlVariables = Object.fromEntries(
  SUBGRAPHS.map((s) => [subgraphUrlVariable(s.name), z.url().optional()]),
);

const base = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HTTP_HOST: z.string().default('127.0.0.1'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  JWT_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (an HS256 key that short is guessable)'),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  /** Lets anonymous clients introspect the graph (and shows the landing page): development only. */
  ALLOW_INTROSPECTION: flag.default(false),
  MAX_QUERY_DEPTH: positiveInt(10),
  MAX_QUERY_COST: positiveInt(1000),
  SUPERGRAPH_PATH: z.string().default(SUPERGRAPH_FILE),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
});
// One schema for all variables, so a start-up error lists every bad one at once.
export const gatewayEnv = base.extend(urlVariables);

export interface GatewayConfig {
  logLevel: string;
  host: string;
  port: number;
  jwt: { secret: string; issuer?: string; audience?: string };
  allowIntrospection: boolean;
  maxQueryDepth: number;
  maxQueryCost: number;
  supergraphPath: string;
  /** Subgraph URL overrides by subgraph name (`CUSTOMER_SUBGRAPH_URL` → `customer`). */
  subgraphUrls: Record<string, string>;
  shutdownTimeoutMs: number;
}

/** Reads the gateway's environment; throws a ConfigError naming every bad variable. */
export function loadGatewayConfig(env: Env = process.env): GatewayConfig {
  // The URL variables are built from SUBGRAPHS, so their names are only known as strings.
  const c = loadConfig(gatewayEnv, env) as unknown as z.infer<typeof base> &
    Record<string, string | undefined>;
  const subgraphUrls: Record<string, string> = {};
  for (const { name } of SUBGRAPHS) {
    const url = c[subgraphUrlVariable(name)];
    if (url) subgraphUrls[name] = url;
  }
  return {
    logLevel: c.LOG_LEVEL,
    host: c.HTTP_HOST,
    port: c.HTTP_PORT,
    jwt: { secret: c.JWT_SECRET, issuer: c.JWT_ISSUER, audience: c.JWT_AUDIENCE },
    allowIntrospection: c.ALLOW_INTROSPECTION,
    maxQueryDepth: c.MAX_QUERY_DEPTH,
    maxQueryCost: c.MAX_QUERY_COST,
    supergraphPath: c.SUPERGRAPH_PATH,
    subgraphUrls,
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
  };
}
