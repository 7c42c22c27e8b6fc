import { HeaderMap } from '@apollo/server';
import type { Logger } from '@aftercare/kit';
import { GraphQLError } from 'graphql';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { DEFAULT_JWT_CLOCK_SKEW_S, unauthenticatedError } from './auth';

/**
 * Signature algorithms accepted from an identity provider: asymmetric only, so no token signed
 * with a shared secret (HS256, e.g. by someone holding the development key) can pass as the
 * provider's. These three cover Keycloak, Auth0, Entra ID, Okta and Google by default.
 */
export const OIDC_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;

/**
 * 90 minutes: Entra ID issues access tokens living 60–90 min, Keycloak 5 min, Okta 1 h. Auth0's
 * default (24 h) is refused on purpose: shorten the API's token lifetime there or raise this.
 */
export const DEFAULT_OIDC_MAX_LIFETIME_S = 5400;

export interface OidcSettings {
  /** The provider's `iss`, exactly as its tokens carry it (e.g. `https://sso.example.com/realms/aftercare`). */
  issuer: string;
  /** This API's audience at the provider (`aud`); always checked: a provider serves many apps. */
  audience: string;
  /** The key set; default: `jwks_uri` of the issuer's `/.well-known/openid-configuration`. */
  jwksUrl?: string;
  /**
   * Where the role names are: a claim name (`roles`, Auth0's `https://aftercare.example.com/roles`)
   * or, when no claim has that exact name, a dotted path (Keycloak's `realm_access.roles`).
   */
  rolesClaim: string;
  /** The claim naming the user (default `sub`). */
  userIdClaim: string;
  /** Longest lifetime (`exp` − `iat`) accepted, in seconds (default DEFAULT_OIDC_MAX_LIFETIME_S). */
  maxLifetimeSeconds?: number;
  /** Clock difference tolerated on `exp`, `nbf` and `iat`, in seconds (default DEFAULT_JWT_CLOCK_SKEW_S). */
  clockSkewSeconds?: number;
  /** jose's key set timings; the defaults suit production (tests shorten them). */
  keySet?: { timeoutMs?: number; cooldownMs?: number; cacheMaxAgeMs?: number };
}

/**
 * SERVICE_UNAVAILABLE (HTTP 503): the provider's keys could not be fetched, so the token can be
 * neither accepted nor refused. Not 401: the client's token may be fine, and logging in again
 * would not help; retrying later does.
 */
function providerUnavailableError(): GraphQLError {
  return new GraphQLError(
    'The identity provider cannot be reached to check the access token; try again shortly',
    {
      extensions: {
        code: 'SERVICE_UNAVAILABLE',
        reason: 'IDENTITY_PROVIDER_UNAVAILABLE',
        http: { status: 503, headers: new HeaderMap([['retry-after', '5']]) },
      },
    },
  );
}

/** The provider's keys could not be had; `cause` says why (logged, never shown to callers). */
class ProviderUnavailable extends Error {}

/** `jwks_uri` from the issuer's discovery document (OpenID Connect Discovery 1.0 §4). */
async function discoverJwksUrl(issuer: string, timeoutMs: number): Promise<URL> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (response.status !== 200) throw new Error(`${url} answered HTTP ${response.status}`);
  const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  // The spec demands the document name the very issuer asked for; anything else is not our provider.
  if (document.issuer !== issuer)
    throw new Error(`${url} names the issuer ${String(document.issuer)}, not ${issuer}`);
  if (typeof document.jwks_uri !== 'string') throw new Error(`${url} has no jwks_uri`);
  return new URL(document.jwks_uri);
}

/**
 * The provider's keys: jose's remote key set, which caches them (`cacheMaxAgeMs`, 10 min), fetches
 * again when a token names an unknown `kid` (at most once per `cooldownMs`, 30 s: rotation) and
 * shares one fetch among concurrent requests. Without a configured URL it is discovered on first
 * use and again after a failure, so the gateway starts while the provider is down.
 */
function providerKeys(settings: OidcSettings): JWTVerifyGetKey {
  const timeoutMs = settings.keySet?.timeoutMs ?? 5000;
  const keySetAt = (url: URL) =>
    createRemoteJWKSet(url, {
      timeoutDuration: timeoutMs,
      cooldownDuration: settings.keySet?.cooldownMs,
      cacheMaxAge: settings.keySet?.cacheMaxAgeMs,
    });
  let keySet: Promise<JWTVerifyGetKey> | undefined = settings.jwksUrl
    ? Promise.resolve(keySetAt(new URL(settings.jwksUrl)))
    : undefined;
  return async (header, token) => {
    keySet ??= discoverJwksUrl(settings.issuer, timeoutMs).then(keySetAt);
    const current = keySet;
    let keys: JWTVerifyGetKey;
    try {
      keys = await current;
    } catch (err) {
      if (keySet === current) keySet = undefined;
      throw new ProviderUnavailable('discovery of the key set failed', { cause: err });
    }
    try {
      return await keys(header, token);
    } catch (err) {
      // A token naming a key the provider does not have is the token's fault; the rest (timeouts,
      // refused connections, non-200 answers, unreadable key sets) is the provider's.
      if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys)
        throw err;
      throw new ProviderUnavailable('key set could not be fetched', { cause: err });
    }
  };
}

/**
 * Verifies a provider's token — signature by a key of its key set with an allowed algorithm,
 * issuer, audience, `exp` and `nbf` within the clock skew — and returns its claims. Refusals
 * are UNAUTHENTICATED (401) saying why; an unreachable provider is SERVICE_UNAVAILABLE (503).
 */
export function createOidcVerifier(
  settings: OidcSettings,
  logger: Logger,
): (token: string) => Promise<JWTPayload> {
  const keys = providerKeys(settings);
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: [...OIDC_ALGORITHMS],
        issuer: settings.issuer,
        audience: settings.audience,
        clockTolerance: settings.clockSkewSeconds ?? DEFAULT_JWT_CLOCK_SKEW_S,
      });
      return payload;
    } catch (err) {
      if (err instanceof ProviderUnavailable) {
        logger.warn({ err: err.cause, issuer: settings.issuer }, `OIDC ${err.message}`);
        throw providerUnavailableError();
      }
      throw refusalOf(err);
    }
  };
}

function refusalOf(err: unknown): GraphQLError {
  if (err instanceof errors.JWTExpired)
    return unauthenticatedError('The access token has expired', 'TOKEN_EXPIRED');
  if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'nbf')
    return err.reason === 'check_failed'
      ? unauthenticatedError('The access token is not valid yet ("nbf")', 'TOKEN_NOT_YET_VALID')
      : unauthenticatedError(`The access token is invalid: ${err.message}`, 'TOKEN_INVALID');
  if (err instanceof errors.JOSEAlgNotAllowed)
    return unauthenticatedError(
      `The access token's algorithm is not accepted from the identity provider (only ${OIDC_ALGORITHMS.join(', ')})`,
      'TOKEN_ALGORITHM_NOT_ALLOWED',
    );
  if (err instanceof errors.JWKSNoMatchingKey)
    return unauthenticatedError(
      'The access token is signed with a key the identity provider does not publish',
      'TOKEN_KEY_UNKNOWN',
    );
  const why = err instanceof errors.JOSEError ? err.message : 'it cannot be verified';
  return unauthenticatedError(`The access token is invalid: ${why}`, 'TOKEN_INVALID');
}
