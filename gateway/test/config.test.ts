import { ConfigError, generateKeyPairJwk } from '@aftercare/kit';
import { loadGatewayConfig } from '../src/config';
import { SUPERGRAPH_FILE } from '../src/subgraphs';
import { SECRET } from './fixtures';

const { privateJwk } = generateKeyPairJwk();
const KEY = JSON.stringify(privateJwk);

describe('loadGatewayConfig', () => {
  it('applies the defaults', () => {
    expect(loadGatewayConfig({ JWT_SECRET: SECRET, INTERNAL_AUTH_PRIVATE_KEY: KEY })).toEqual({
      logLevel: 'info',
      host: '127.0.0.1',
      port: 4000,
      adminHost: '127.0.0.1',
      adminPort: 9400,
      jwt: {
        secret: SECRET,
        issuer: undefined,
        audience: undefined,
        maxLifetimeSeconds: 3600,
        clockSkewSeconds: 30,
      },
      allowIntrospection: false,
      limits: {
        maxDepth: 10,
        maxCost: 10_000,
        maxAliases: 30,
        maxDirectives: 50,
        maxTokens: 2_000,
        defaultListSize: 10,
      },
      rateLimit: {
        user: { perSecond: 10, burst: 50 },
        address: { perSecond: 100, burst: 300 },
        trustedProxies: undefined,
      },
      supergraphPath: SUPERGRAPH_FILE,
      subgraphUrls: {},
      shutdownTimeoutMs: 10_000,
      accessLogSampleRatio: 1,
      signingKey: { kid: privateJwk.kid, key: expect.anything() },
    });
  });

  it('ADR 0010 needs its signing key, and never echoes a bad one', () => {
    expect(() => loadGatewayConfig({ JWT_SECRET: SECRET })).toThrow(
      /INTERNAL_AUTH_PRIVATE_KEY: is required/,
    );
    const leaked = JSON.stringify({ ...privateJwk, crv: 'X25519' });
    let message = '';
    try {
      loadGatewayConfig({ JWT_SECRET: SECRET, INTERNAL_AUTH_PRIVATE_KEY: leaked });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/INTERNAL_AUTH_PRIVATE_KEY: must be an Ed25519 private key/);
    expect(message).not.toContain(String(privateJwk.d));
  });

  it('reads overrides, including subgraph URLs by name', () => {
    const config = loadGatewayConfig({
      JWT_SECRET: SECRET,
      INTERNAL_AUTH_PRIVATE_KEY: KEY,
      JWT_ISSUER: 'aftercare',
      ALLOW_INTROSPECTION: 'true',
      MAX_QUERY_DEPTH: '7',
      CUSTOMER_SUBGRAPH_URL: 'http://customer:4101/graphql',
      SURVEY_SUBGRAPH_URL: '',
    });
    expect(config).toMatchObject({
      allowIntrospection: true,
      limits: { maxDepth: 7 },
      jwt: { issuer: 'aftercare' },
    });
    expect(config.subgraphUrls).toEqual({ customer: 'http://customer:4101/graphql' });
  });

  it('issue 11: reads the limits, the token lifetime, the admin port and the rate limits; RATE_LIMIT_ENABLED=false turns them off', () => {
    const config = loadGatewayConfig({
      JWT_SECRET: SECRET,
      INTERNAL_AUTH_PRIVATE_KEY: KEY,
      JWT_MAX_LIFETIME_S: '900',
      JWT_CLOCK_SKEW_S: '5',
      ADMIN_HOST: '0.0.0.0',
      ADMIN_PORT: '9500',
      MAX_QUERY_COST: '5000',
      MAX_QUERY_ALIASES: '10',
      MAX_QUERY_DIRECTIVES: '5',
      MAX_QUERY_TOKENS: '3000',
      COST_DEFAULT_LIST_SIZE: '25',
      RATE_LIMIT_USER_PER_SECOND: '0.5',
      RATE_LIMIT_USER_BURST: '5',
      RATE_LIMIT_ADDRESS_PER_SECOND: '20',
      RATE_LIMIT_ADDRESS_BURST: '40',
      TRUSTED_PROXIES: '10.0.0.0/8, loopback',
    });
    expect(config).toMatchObject({
      adminHost: '0.0.0.0',
      adminPort: 9500,
      jwt: { maxLifetimeSeconds: 900, clockSkewSeconds: 5 },
      limits: {
        maxCost: 5000,
        maxAliases: 10,
        maxDirectives: 5,
        maxTokens: 3000,
        defaultListSize: 25,
      },
      rateLimit: {
        user: { perSecond: 0.5, burst: 5 },
        address: { perSecond: 20, burst: 40 },
        trustedProxies: ['10.0.0.0/8', 'loopback'],
      },
    });
    expect(
      loadGatewayConfig({
        JWT_SECRET: SECRET,
        INTERNAL_AUTH_PRIVATE_KEY: KEY,
        TRUSTED_PROXIES: '2',
      }).rateLimit?.trustedProxies,
    ).toBe(2);
    expect(
      loadGatewayConfig({
        JWT_SECRET: SECRET,
        INTERNAL_AUTH_PRIVATE_KEY: KEY,
        RATE_LIMIT_ENABLED: 'false',
      }).rateLimit,
    ).toBeUndefined();
    expect(() =>
      loadGatewayConfig({
        JWT_SECRET: SECRET,
        INTERNAL_AUTH_PRIVATE_KEY: KEY,
        TRUSTED_PROXIES: 'the-proxy',
      }),
    ).toThrow(/TRUSTED_PROXIES: invalid IP address: the-proxy/);
    expect(() =>
      loadGatewayConfig({
        JWT_SECRET: SECRET,
        INTERNAL_AUTH_PRIVATE_KEY: KEY,
        RATE_LIMIT_USER_PER_SECOND: '0',
      }),
    ).toThrow(/RATE_LIMIT_USER_PER_SECOND/);
  });

  it('issue 13: reads the CORS allow-list of exact origins and its max age; unset or empty is no CORS', () => {
    const base = { JWT_SECRET: SECRET, INTERNAL_AUTH_PRIVATE_KEY: KEY };
    expect(loadGatewayConfig(base).cors).toBeUndefined();
    expect(loadGatewayConfig({ ...base, CORS_ORIGINS: ' , ' }).cors).toBeUndefined();
    expect(
      loadGatewayConfig({
        ...base,
        CORS_ORIGINS: 'https://dispatch.example.com, http://localhost:5173',
        CORS_MAX_AGE_S: '60',
      }).cors,
    ).toEqual({
      origins: ['https://dispatch.example.com', 'http://localhost:5173'],
      maxAgeSeconds: 60,
    });
    expect(loadGatewayConfig({ ...base, CORS_ORIGINS: 'https://a.example' }).cors).toEqual({
      origins: ['https://a.example'],
      maxAgeSeconds: 600,
    });
    const refusals: Array<[string, RegExp]> = [
      ['*', /CORS_ORIGINS: "\*" is not accepted/],
      ['https://a.example/', /must be an exact origin .*, such as https:\/\/a\.example \(got/],
      ['https://A.example', /must be an exact origin/],
      ['https://a.example:443', /must be an exact origin/],
      ['https://a.example/app', /must be an exact origin/],
      ['a.example', /must be an origin such as/],
      ['ftp://a.example', /must be an http or https origin/],
    ];
    for (const [origins, message] of refusals)
      expect(() => loadGatewayConfig({ ...base, CORS_ORIGINS: origins })).toThrow(message);
    expect(() => loadGatewayConfig({ ...base, CORS_MAX_AGE_S: '-1' })).toThrow(/CORS_MAX_AGE_S/);
  });

  it('issue 13: reads an OpenID Connect provider; JWT_SECRET becomes optional, and the identity variables must agree', () => {
    const issuer = 'https://sso.example.com/realms/aftercare';
    const oidcOnly = loadGatewayConfig({
      INTERNAL_AUTH_PRIVATE_KEY: KEY,
      OIDC_ISSUER: issuer,
      OIDC_AUDIENCE: 'aftercare-api',
      OIDC_ROLES_CLAIM: 'realm_access.roles',
      JWT_CLOCK_SKEW_S: '10',
    });
    expect(oidcOnly.jwt).toBeUndefined();
    expect(oidcOnly.oidc).toEqual({
      issuer,
      audience: 'aftercare-api',
      jwksUrl: undefined,
      rolesClaim: 'realm_access.roles',
      userIdClaim: 'sub',
      maxLifetimeSeconds: 5400,
      clockSkewSeconds: 10,
    });
    const both = loadGatewayConfig({
      INTERNAL_AUTH_PRIVATE_KEY: KEY,
      JWT_SECRET: SECRET,
      OIDC_ISSUER: issuer,
      OIDC_AUDIENCE: 'aftercare-api',
      OIDC_JWKS_URL: `${issuer}/protocol/openid-connect/certs`,
      OIDC_USER_ID_CLAIM: 'oid',
      OIDC_MAX_LIFETIME_S: '900',
    });
    expect(both.jwt?.secret).toBe(SECRET);
    expect(both.oidc).toMatchObject({
      jwksUrl: `${issuer}/protocol/openid-connect/certs`,
      userIdClaim: 'oid',
      rolesClaim: 'roles',
      maxLifetimeSeconds: 900,
    });
    const problems = (env: Record<string, string>) => {
      try {
        loadGatewayConfig({ INTERNAL_AUTH_PRIVATE_KEY: KEY, ...env });
      } catch (e) {
        return (e as ConfigError).problems;
      }
      return [];
    };
    expect(problems({})).toEqual([
      'JWT_SECRET: is required unless OIDC_ISSUER is set (set OIDC_ISSUER for an identity provider, JWT_SECRET for development)',
    ]);
    expect(problems({ OIDC_ISSUER: issuer })).toEqual([
      "OIDC_AUDIENCE: is required with OIDC_ISSUER (this API's audience at the provider)",
    ]);
    expect(
      problems({
        JWT_SECRET: SECRET,
        OIDC_AUDIENCE: 'x',
        OIDC_JWKS_URL: 'https://a.example/certs',
      }),
    ).toEqual([
      'OIDC_AUDIENCE: is only used with OIDC_ISSUER (got "x")',
      'OIDC_JWKS_URL: is only used with OIDC_ISSUER (got "https://a.example/certs")',
    ]);
    expect(
      problems({ JWT_SECRET: SECRET, JWT_ISSUER: issuer, OIDC_ISSUER: issuer, OIDC_AUDIENCE: 'x' }),
    ).toEqual([
      `JWT_ISSUER: must differ from OIDC_ISSUER: tokens are told apart by their issuer (got "${issuer}")`,
    ]);
    expect(problems({ OIDC_ISSUER: 'sso.example.com', OIDC_AUDIENCE: 'x' })[0]).toMatch(
      /^OIDC_ISSUER: /,
    );
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadGatewayConfig({
        JWT_SECRET: 'too-short',
        MAX_QUERY_DEPTH: 'deep',
        WORKORDER_SUBGRAPH_URL: 'not a url',
        ALLOW_INTROSPECTION: 'yes',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/JWT_SECRET: must be at least 32 characters/);
    expect(message).toMatch(/MAX_QUERY_DEPTH: /);
    expect(message).toMatch(/WORKORDER_SUBGRAPH_URL: /);
    expect(message).toMatch(/ALLOW_INTROSPECTION: /);
    expect(() => loadGatewayConfig({})).toThrow(/JWT_SECRET/);
  });
});
