import jwt from 'jsonwebtoken';
import type { JWTPayload } from 'jose';
import type { OidcSettings } from '../src/oidc';
import {
  bearer,
  query,
  SECRET,
  startGateway,
  startThingsSubgraph,
  type TestGatewayOptions,
} from './fixtures';
import {
  providerKey,
  signedBy,
  startProvider,
  type LocalProvider,
  type SigningKey,
} from './oidc-provider';

const AUDIENCE = 'aftercare-api';
const WHO = '{ thing(id: "1") { seenUserId seenRoles } }';
const now = () => Math.floor(Date.now() / 1000);

describe('OpenID Connect tokens verified through the provider’s JWKS (issue 13)', () => {
  let subgraph: Awaited<ReturnType<typeof startThingsSubgraph>>;
  let provider: LocalProvider;
  let rsa: SigningKey;
  let ec: SigningKey;
  let ed: SigningKey;
  const gateways: Array<{ http: { close(ms: number): Promise<void> } }> = [];

  beforeAll(async () => {
    subgraph = await startThingsSubgraph();
    provider = await startProvider();
    [rsa, ec, ed] = await Promise.all([
      providerKey('RS256', 'rsa-1'),
      providerKey('ES256', 'ec-1'),
      providerKey('EdDSA', 'ed-1'),
    ]);
  });
  beforeEach(() => {
    provider.keys = [rsa, ec, ed];
    provider.failWith = undefined;
    provider.discoveredIssuer = undefined;
  });
  afterAll(() =>
    Promise.all([
      subgraph.http.close(1000),
      provider.close(),
      ...gateways.map((g) => g.http.close(1000)),
    ]),
  );

  /** A gateway trusting the local provider (Keycloak-style roles) beside the HS256 development key. */
  const gatewayWith = async (
    oidc: Partial<OidcSettings> = {},
    options: TestGatewayOptions = {},
  ): Promise<string> => {
    const gateway = await startGateway(subgraph.url, {
      oidc: {
        issuer: provider.issuer,
        audience: AUDIENCE,
        jwksUrl: provider.jwksUrl,
        rolesClaim: 'realm_access.roles',
        userIdClaim: 'sub',
        ...oidc,
      },
      ...options,
    });
    gateways.push(gateway);
    return gateway.url;
  };
  /** Claims a Keycloak access token carries, living five minutes. */
  const claims = (extra: JWTPayload = {}): JWTPayload => ({
    iss: provider.issuer,
    aud: AUDIENCE,
    sub: 'f3c1-dispatcher-dana',
    realm_access: { roles: ['dispatcher', 'offline_access'] },
    iat: now(),
    exp: now() + 300,
    ...extra,
  });
  const ask = async (url: string, token: string) => query(url, WHO, bearer(token));
  const refusal = async (url: string, token: string) => {
    const { status, body } = await ask(url, token);
    return {
      status,
      code: body.errors?.[0]?.extensions?.code,
      reason: body.errors?.[0]?.extensions?.reason,
    };
  };

  it('accepts RS256, ES256 and EdDSA tokens of the provider and forwards their user and known roles', async () => {
    const url = await gatewayWith();
    for (const key of [rsa, ec, ed]) {
      const answer = await ask(url, await signedBy(key, claims()));
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        data: { thing: { seenUserId: 'f3c1-dispatcher-dana', seenRoles: ['dispatcher'] } },
      });
    }
    // One fetch of the key set served all three: the keys are cached.
    expect(provider.jwksFetches()).toBe(1);
  });

  it('reads the roles and the user where the provider puts them: a namespaced claim, another user id claim', async () => {
    const url = await gatewayWith({
      rolesClaim: 'https://aftercare.example.com/roles',
      userIdClaim: 'oid',
    });
    const token = await signedBy(
      rsa,
      claims({ oid: 'entra-7781', 'https://aftercare.example.com/roles': ['warehouse'] }),
    );
    expect((await ask(url, token)).body.data).toEqual({
      thing: { seenUserId: 'entra-7781', seenRoles: ['warehouse'] },
    });
    const noUser = await signedBy(
      rsa,
      claims({ 'https://aftercare.example.com/roles': ['warehouse'] }),
    );
    expect(await refusal(url, noUser)).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
      reason: 'TOKEN_INVALID',
    });
  });

  it('refuses tokens of another issuer or audience, or signed another way, with 401 and why', async () => {
    const url = await gatewayWith();
    const invalid = { status: 401, code: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' };
    expect(await refusal(url, await signedBy(rsa, claims({ aud: 'another-app' })))).toEqual(
      invalid,
    );
    expect(await refusal(url, await signedBy(rsa, claims({ aud: undefined })))).toEqual(invalid);
    // Another issuer is not the provider's: it is checked as an HS256 token, and fails as one.
    expect(
      await refusal(url, await signedBy(rsa, claims({ iss: 'https://sso.evil.example' }))),
    ).toEqual(invalid);
    // Signed with a key the provider does not publish, under a known kid or an unknown one.
    const forged = { ...(await providerKey('RS256', 'rsa-1')) };
    expect(await refusal(url, await signedBy(forged, claims()))).toEqual(invalid);
    const stranger = await providerKey('RS256', 'rsa-stranger');
    expect(await refusal(url, await signedBy(stranger, claims()))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
      reason: 'TOKEN_KEY_UNKNOWN',
    });
    // A key the provider does publish, but for an algorithm off the list.
    const rs384 = await providerKey('RS384', 'rsa-384');
    provider.keys = [...provider.keys, rs384];
    expect(await refusal(url, await signedBy(rs384, claims()))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
      reason: 'TOKEN_ALGORITHM_NOT_ALLOWED',
    });
  });

  it('alg confusion: an HS256 token claiming the provider as issuer is refused, even signed with the development key, and never fetches keys', async () => {
    const fetchesBefore = provider.jwksFetches();
    const url = await gatewayWith();
    const hs256 = jwt.sign(
      { sub: 'mallory', realm_access: { roles: ['admin'] }, roles: ['admin'] },
      SECRET,
      { issuer: provider.issuer, audience: AUDIENCE, expiresIn: 60 },
    );
    expect(await refusal(url, hs256)).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
      reason: 'TOKEN_ALGORITHM_NOT_ALLOWED',
    });
    // The provider's public RSA key used as an HMAC secret: the classic confusion attack.
    const publicKeyAsSecret = jwt.sign(
      { sub: 'mallory', realm_access: { roles: ['admin'] } },
      JSON.stringify(rsa.publicJwk),
      {
        issuer: provider.issuer,
        audience: AUDIENCE,
        expiresIn: 60,
      },
    );
    expect((await refusal(url, publicKeyAsSecret)).reason).toBe('TOKEN_ALGORITHM_NOT_ALLOWED');
    expect(provider.jwksFetches()).toBe(fetchesBefore);
    // Without JWT_SECRET nothing but the provider's tokens is accepted.
    const oidcOnly = await gatewayWith({}, { jwt: undefined });
    const devToken = jwt.sign({ sub: 'dev', roles: ['admin'] }, SECRET, { expiresIn: 60 });
    expect(await refusal(oidcOnly, devToken)).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
      reason: 'TOKEN_INVALID',
    });
    expect((await ask(oidcOnly, await signedBy(ec, claims()))).status).toBe(200);
  });

  it('applies the token rules of issue 11 to provider tokens: expiry required, lifetime, iat, nbf, a known role', async () => {
    const url = await gatewayWith({ maxLifetimeSeconds: 3600, clockSkewSeconds: 30 });
    const cases: Array<[JWTPayload, string]> = [
      [{ iat: now() - 400, exp: now() - 100 }, 'TOKEN_EXPIRED'],
      [{ exp: undefined }, 'TOKEN_WITHOUT_EXPIRY'],
      [{ exp: now() + 7200 }, 'TOKEN_LIFETIME_TOO_LONG'],
      [{ iat: now() + 120, exp: now() + 300 }, 'TOKEN_ISSUED_IN_FUTURE'],
      [{ nbf: now() + 120 }, 'TOKEN_NOT_YET_VALID'],
    ];
    for (const [extra, reason] of cases) {
      const answer = await refusal(url, await signedBy(rsa, claims(extra)));
      expect({ reason: answer.reason, status: answer.status }).toEqual({ reason, status: 401 });
    }
    // Within the clock skew is fine.
    expect((await ask(url, await signedBy(rsa, claims({ nbf: now() + 10 })))).status).toBe(200);
    const noKnownRole = await signedBy(
      rsa,
      claims({ realm_access: { roles: ['offline_access', 'service'] } }),
    );
    expect(await refusal(url, noKnownRole)).toEqual({
      status: 403,
      code: 'FORBIDDEN',
      reason: 'NO_KNOWN_ROLE',
    });
  });

  it('picks up a rotated key: a token with a new kid makes it fetch the key set again (at most once per cooldown)', async () => {
    const url = await gatewayWith({ keySet: { cooldownMs: 300 } });
    expect((await ask(url, await signedBy(rsa, claims()))).status).toBe(200);
    const fetches = provider.jwksFetches();
    const rotated = await providerKey('RS256', 'rsa-2');
    provider.keys = [rotated, rsa];
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await ask(url, await signedBy(rotated, claims()))).status).toBe(200);
    expect(provider.jwksFetches()).toBe(fetches + 1);
    // Unknown kids right after a fetch do not make it fetch again: no fetch storm from forged kids.
    const stranger = await providerKey('ES256', 'nobody');
    for (let i = 0; i < 3; i += 1)
      expect((await refusal(url, await signedBy(stranger, claims()))).reason).toBe(
        'TOKEN_KEY_UNKNOWN',
      );
    expect(provider.jwksFetches()).toBe(fetches + 1);
  });

  it('provider down: 503 IDENTITY_PROVIDER_UNAVAILABLE while no key is cached, cached keys keep working, recovery without restart', async () => {
    const url = await gatewayWith({ keySet: { timeoutMs: 1000 } });
    const token = await signedBy(rsa, claims());
    provider.failWith = 500;
    const down = await ask(url, token);
    expect(down.status).toBe(503);
    expect(down.body.errors?.[0]?.extensions).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      reason: 'IDENTITY_PROVIDER_UNAVAILABLE',
    });
    // A bad token is still refused as one: the algorithm is checked before any key is sought.
    const hs256 = jwt.sign({ sub: 'x' }, SECRET, { issuer: provider.issuer, expiresIn: 60 });
    expect((await refusal(url, hs256)).status).toBe(401);
    provider.failWith = undefined;
    expect((await ask(url, token)).status).toBe(200);
    provider.failWith = 502;
    expect((await ask(url, token)).status).toBe(200);
    // Nobody listening at all.
    const unreachable = await gatewayWith({ jwksUrl: 'http://127.0.0.1:9/certs' });
    expect((await refusal(unreachable, token)).reason).toBe('IDENTITY_PROVIDER_UNAVAILABLE');
  });

  it('discovers the key set from the issuer’s openid-configuration when no JWKS URL is set, and only from the same issuer', async () => {
    const url = await gatewayWith({ jwksUrl: undefined });
    expect((await ask(url, await signedBy(ed, claims()))).status).toBe(200);
    provider.discoveredIssuer = 'https://sso.evil.example/realms/aftercare';
    const misled = await gatewayWith({ jwksUrl: undefined });
    expect((await refusal(misled, await signedBy(ed, claims()))).status).toBe(503);
    provider.discoveredIssuer = undefined;
    // Discovery failed once, so it is tried again on the next request.
    expect((await ask(misled, await signedBy(ed, claims()))).status).toBe(200);
  });
});
