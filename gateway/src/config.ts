import {
  accessLogSampleRatio,
  internalAuthEnv,
  loadConfig,
  requireInternalAuth,
  telemetryEnv,
  type Env,
  type SigningKey,
} from '@aftercare/kit';
import { z } from 'zod';
import { DEFAULT_JWT_CLOCK_SKEW_S, DEFAULT_JWT_MAX_LIFETIME_S, type JwtSettings } from './auth';
import { DEFAULT_CORS_MAX_AGE_S, originProblem, type CorsSettings } from './cors';
import { DEFAULT_LIMITS, type GatewayLimits } from './limits';
import { DEFAULT_OIDC_MAX_LIFETIME_S, type OidcSettings } from './oidc';
import { checkTrustedProxies, type RateLimitSettings, type TrustedProxies } from './rate-limit';
import { SUBGRAPHS, SUPERGRAPH_FILE, subgraphUrlVariable } from './subgraphs';

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const perSecond = (fallback: number) => z.coerce.number().positive().default(fallback);
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** A hop count (`1`), or addresses and subnets (`10.0.0.0/8,loopback`); unset: trust nobody. */
const trustedProxies = z
  .string()
  .transform((v, ctx): TrustedProxies | undefined => {
    if (/^\d+$/.test(v.trim())) return Number(v.trim());
    const list = v.split(',').map((p) => p.trim());
    try {
      checkTrustedProxies(list);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
    return list;
  })
  .optional();
/** Comma-separated exact origins; empty entries are ignored, an empty list is no CORS at all. */
const corsOrigins = z
  .string()
  .transform((v, ctx) => {
    const origins = v
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== '');
    for (const origin of origins) {
      const problem = originProblem(origin);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
    return origins;
  })
  .optional();
const urlVariables = Object.fromEntries(
  SUBGRAPHS.map((s) => [subgraphUrlVariable(s.name), z.url().optional()]),
);

const base = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HTTP_HOST: z.string().default('127.0.0.1'),
  HTTP_PORT: port(4000),
  ADMIN_HOST: z.string().default('127.0.0.1'),
  ADMIN_PORT: port(9400),
  /**
   * HS256 key of bearer tokens (a Secret) for development and tests (npm run dev-token); leave it
   * unset when an identity provider (OIDC_ISSUER) issues the tokens
   */
  JWT_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (an HS256 key that short is guessable)')
    .optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  JWT_MAX_LIFETIME_S: positiveInt(DEFAULT_JWT_MAX_LIFETIME_S),
  JWT_CLOCK_SKEW_S: z.coerce.number().int().min(0).max(300).default(DEFAULT_JWT_CLOCK_SKEW_S),
  /** OpenID Connect provider whose tokens are accepted: its `iss`, exactly as its tokens carry it */
  OIDC_ISSUER: z.url().optional(),
  /** this API's audience at the provider (`aud` of its tokens); required with OIDC_ISSUER */
  OIDC_AUDIENCE: z.string().optional(),
  /** the provider's key set (JWKS); unset: `jwks_uri` of OIDC_ISSUER/.well-known/openid-configuration */
  OIDC_JWKS_URL: z.url().optional(),
  /**
   * claim holding the role names: a claim name (`roles`, a namespaced Auth0 claim) or a dotted
   * path (Keycloak: `realm_access.roles`)
   */
  OIDC_ROLES_CLAIM: z.string().min(1).default('roles'),
  /** claim holding the user id */
  OIDC_USER_ID_CLAIM: z.string().min(1).default('sub'),
  /** longest accepted lifetime of the provider's tokens (exp − iat), in seconds */
  OIDC_MAX_LIFETIME_S: positiveInt(DEFAULT_OIDC_MAX_LIFETIME_S),
  /** Lets anonymous clients introspect the graph (and shows the landing page): development only. */
  ALLOW_INTROSPECTION: flag.default(false),
  MAX_QUERY_DEPTH: positiveInt(DEFAULT_LIMITS.maxDepth),
  MAX_QUERY_COST: positiveInt(DEFAULT_LIMITS.maxCost),
  MAX_QUERY_ALIASES: positiveInt(DEFAULT_LIMITS.maxAliases),
  MAX_QUERY_DIRECTIVES: positiveInt(DEFAULT_LIMITS.maxDirectives),
  MAX_QUERY_TOKENS: positiveInt(DEFAULT_LIMITS.maxTokens),
  COST_DEFAULT_LIST_SIZE: positiveInt(DEFAULT_LIMITS.defaultListSize),
  RATE_LIMIT_ENABLED: flag.default(true),
  RATE_LIMIT_USER_PER_SECOND: perSecond(10),
  RATE_LIMIT_USER_BURST: positiveInt(50),
  RATE_LIMIT_ADDRESS_PER_SECOND: perSecond(100),
  RATE_LIMIT_ADDRESS_BURST: positiveInt(300),
  TRUSTED_PROXIES: trustedProxies,
  /**
   * origins of browser front ends allowed to call /graphql (CORS), comma-separated exact origins
   * such as https://dispatch.example.com; unset: no CORS headers, so browsers only call same-origin
   */
  CORS_ORIGINS: corsOrigins,
  /** how long browsers may cache a CORS preflight answer, in seconds */
  CORS_MAX_AGE_S: z.coerce.number().int().min(0).max(86_400).default(DEFAULT_CORS_MAX_AGE_S),
  SUPERGRAPH_PATH: z.string().default(SUPERGRAPH_FILE),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  ACCESS_LOG_SAMPLE_RATIO: accessLogSampleRatio,
  ...telemetryEnv,
  /** Signs the caller for each subgraph request (ADR 0010); its public half is trusted by the services. */
  INTERNAL_AUTH_PRIVATE_KEY: internalAuthEnv.INTERNAL_AUTH_PRIVATE_KEY,
});
// One schema for all variables, so a start-up error lists every bad one at once.
export const gatewayEnv = base.extend(urlVariables);

/** Which tokens are accepted must be decided, and unambiguously (checked with the other variables). */
const identityChecked = gatewayEnv.superRefine((c, ctx) => {
  const problem = (variable: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [variable], message });
  if (!c.JWT_SECRET && !c.OIDC_ISSUER)
    problem(
      'JWT_SECRET',
      'is required unless OIDC_ISSUER is set (set OIDC_ISSUER for an identity provider, JWT_SECRET for development)',
    );
  if (c.OIDC_ISSUER && !c.OIDC_AUDIENCE)
    problem('OIDC_AUDIENCE', "is required with OIDC_ISSUER (this API's audience at the provider)");
  for (const variable of ['OIDC_AUDIENCE', 'OIDC_JWKS_URL'] as const)
    if (c[variable] && !c.OIDC_ISSUER) problem(variable, 'is only used with OIDC_ISSUER');
  if (c.OIDC_ISSUER && c.JWT_ISSUER === c.OIDC_ISSUER)
    problem('JWT_ISSUER', 'must differ from OIDC_ISSUER: tokens are told apart by their issuer');
});

export interface GatewayConfig {
  logLevel: string;
  host: string;
  port: number;
  /** The admin listener: `/metrics` (and the probes), never published with the public port. */
  adminHost: string;
  adminPort: number;
  /** Absent when JWT_SECRET is unset: no HS256 token is accepted. */
  jwt?: JwtSettings;
  /** Absent when OIDC_ISSUER is unset. */
  oidc?: OidcSettings;
  allowIntrospection: boolean;
  limits: GatewayLimits;
  /** Absent when CORS_ORIGINS is unset or empty: no CORS headers at all. */
  cors?: CorsSettings;
  /** Absent when RATE_LIMIT_ENABLED=false. */
  rateLimit?: RateLimitSettings;
  supergraphPath: string;
  /** Subgraph URL overrides by subgraph name (`CUSTOMER_SUBGRAPH_URL` → `customer`). */
  subgraphUrls: Record<string, string>;
  shutdownTimeoutMs: number;
  signingKey: SigningKey;
  /** Share of successful requests given an access line (failures always are). */
  accessLogSampleRatio: number;
}

/** Reads the gateway's environment; throws a ConfigError naming every bad variable. */
export function loadGatewayConfig(env: Env = process.env): GatewayConfig {
  // The URL variables are built from SUBGRAPHS, so their names are only known as strings.
  const c = loadConfig(identityChecked, env) as unknown as z.infer<typeof base> &
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
    adminHost: c.ADMIN_HOST,
    adminPort: c.ADMIN_PORT,
    jwt: c.JWT_SECRET
      ? {
          secret: c.JWT_SECRET,
          issuer: c.JWT_ISSUER,
          audience: c.JWT_AUDIENCE,
          maxLifetimeSeconds: c.JWT_MAX_LIFETIME_S,
          clockSkewSeconds: c.JWT_CLOCK_SKEW_S,
        }
      : undefined,
    oidc:
      c.OIDC_ISSUER && c.OIDC_AUDIENCE
        ? {
            issuer: c.OIDC_ISSUER,
            audience: c.OIDC_AUDIENCE,
            jwksUrl: c.OIDC_JWKS_URL,
            rolesClaim: c.OIDC_ROLES_CLAIM,
            userIdClaim: c.OIDC_USER_ID_CLAIM,
            maxLifetimeSeconds: c.OIDC_MAX_LIFETIME_S,
            clockSkewSeconds: c.JWT_CLOCK_SKEW_S,
          }
        : undefined,
    allowIntrospection: c.ALLOW_INTROSPECTION,
    limits: {
      maxDepth: c.MAX_QUERY_DEPTH,
      maxCost: c.MAX_QUERY_COST,
      maxAliases: c.MAX_QUERY_ALIASES,
      maxDirectives: c.MAX_QUERY_DIRECTIVES,
      maxTokens: c.MAX_QUERY_TOKENS,
      defaultListSize: c.COST_DEFAULT_LIST_SIZE,
    },
    cors: c.CORS_ORIGINS?.length
      ? { origins: c.CORS_ORIGINS, maxAgeSeconds: c.CORS_MAX_AGE_S }
      : undefined,
    rateLimit: c.RATE_LIMIT_ENABLED
      ? {
          user: { perSecond: c.RATE_LIMIT_USER_PER_SECOND, burst: c.RATE_LIMIT_USER_BURST },
          address: {
            perSecond: c.RATE_LIMIT_ADDRESS_PER_SECOND,
            burst: c.RATE_LIMIT_ADDRESS_BURST,
          },
          trustedProxies: c.TRUSTED_PROXIES,
        }
      : undefined,
    supergraphPath: c.SUPERGRAPH_PATH,
    subgraphUrls,
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
    accessLogSampleRatio: c.ACCESS_LOG_SAMPLE_RATIO,
    signingKey: requireInternalAuth(c, { receivesCalls: false }).signingKey,
  };
}
