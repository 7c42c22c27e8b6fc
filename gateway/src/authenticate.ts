import type { Identity, Logger } from '@aftercare/kit';
import { decodeJwt } from 'jose';
import {
  bearerToken,
  checkLifetime,
  identityFromHs256,
  identityOfClaims,
  unauthenticatedError,
  type JwtSettings,
} from './auth';
import { createOidcVerifier, DEFAULT_OIDC_MAX_LIFETIME_S, type OidcSettings } from './oidc';

export interface AuthenticationSettings {
  /** HS256 tokens signed with a shared secret: development, tests, `npm run dev-token`. */
  jwt?: JwtSettings;
  /** Tokens of an OpenID Connect provider, verified with its published keys. */
  oidc?: OidcSettings;
  logger: Logger;
}

export type Authenticate = (authorization: string | undefined) => Promise<Identity | null>;

/** The token's unverified `iss`, only to choose how to verify it; undefined when it has none. */
function claimedIssuer(token: string): string | undefined {
  try {
    const { iss } = decodeJwt(token);
    return iss;
  } catch {
    throw unauthenticatedError('The access token is not a JWT', 'TOKEN_INVALID');
  }
}

/**
 * The caller named by an `Authorization` header, or null without one. A token claiming the OIDC
 * provider as its issuer is verified with the provider's keys and nothing else (so an HS256 token
 * cannot pose as the provider's); any other token is checked as an HS256 token when JWT_SECRET is
 * set, else refused. Every token then passes the same checks: `exp` required, lifetime at most
 * the maximum of its kind, `iat`/`nbf` not in the future, a user id, at least one known role.
 */
export function createAuthenticator(settings: AuthenticationSettings): Authenticate {
  const { jwt, oidc } = settings;
  const verifyOidc = oidc && createOidcVerifier(oidc, settings.logger);
  return async (authorization) => {
    const token = bearerToken(authorization);
    if (token === null) return null;
    if (oidc && verifyOidc && claimedIssuer(token) === oidc.issuer) {
      const payload = await verifyOidc(token);
      checkLifetime(payload, {
        maxLifetimeSeconds: oidc.maxLifetimeSeconds ?? DEFAULT_OIDC_MAX_LIFETIME_S,
        clockSkewSeconds: oidc.clockSkewSeconds,
      });
      return identityOfClaims(payload, oidc);
    }
    if (jwt) return identityFromHs256(token, jwt);
    throw unauthenticatedError(
      `The access token must be issued by ${oidc?.issuer ?? 'the configured identity provider'}`,
      'TOKEN_INVALID',
    );
  };
}
