import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { isRole, type Identity } from '../auth';
import { AppError } from '../errors';
import type { SigningKey, TrustedKeys } from './keys';

/** HTTP header (subgraph requests) and gRPC metadata key carrying the internal identity token. */
export const IDENTITY_HEADER = 'x-aftercare-identity';

/** How long a token is valid: one hop of one request, with room for slow calls. */
export const IDENTITY_TOKEN_LIFETIME_S = 60;
/** Clocks of pods on different nodes differ a little; more than this is refused. */
const CLOCK_TOLERANCE_S = 30;
const TOKEN_TYPE = 'aftercare-identity+jwt';
/** The one signer whose tokens subgraphs accept, and who may relay anonymous callers. */
export const GATEWAY_SIGNER = 'gateway';

export interface VerifyExpectations {
  /** This process's name: tokens made for another service are refused. */
  audience: string;
  /** Signers accepted here; default: every signer with a trusted key. */
  signers?: readonly string[];
}

/**
 * Signs and verifies the short-lived tokens that carry "who is calling" between Aftercare
 * processes (ADR 0010). A token names its signer (`iss`), the one service it is for (`aud`), the
 * user it acts for (`sub`, absent for an anonymous caller the gateway relays) and their roles.
 */
export interface InternalAuth {
  /** This process's signer name. */
  readonly name: string;
  /** A token for calls to `audience` on behalf of `identity` (null: an anonymous caller). */
  sign(identity: Identity | null, audience: string | readonly string[]): Promise<string>;
  /** The identity a token carries (null for a relayed anonymous caller); UNAUTHENTICATED otherwise. */
  verify(token: string, expect: VerifyExpectations): Promise<Identity | null>;
}

export interface InternalAuthOptions {
  name: string;
  /** Needed to call others; a process that only receives calls may have none. */
  signingKey?: SigningKey;
  trustedKeys: TrustedKeys;
  now?: () => number;
}

const claimsSchema = z.object({
  iss: z.string(),
  sub: z.string().min(1).optional(),
  roles: z.array(z.string()).default([]),
});

interface Verified {
  identity: Identity | null;
  signer: string;
  expiresAtMs: number;
}

const refuse = (message: string, reason: string, cause?: unknown) =>
  new AppError('UNAUTHENTICATED', message, { reason, cause });

export function createInternalAuth(options: InternalAuthOptions): InternalAuth {
  const now = options.now ?? Date.now;
  // Signing and verifying cost tens of microseconds each; a caller's token is reused for half its
  // life and a verified token is remembered until it expires, so a busy path does neither per call.
  const signed = new LRUCache<string, { token: string; renewAtMs: number }>({ max: 10_000 });
  const verified = new LRUCache<string, Verified>({ max: 10_000 });

  async function sign(
    identity: Identity | null,
    audience: string | readonly string[],
  ): Promise<string> {
    const key = options.signingKey;
    if (!key) throw new Error(`${options.name} has no signing key (INTERNAL_AUTH_PRIVATE_KEY)`);
    const cacheKey = `${[audience].flat().join(',')}\0${identity?.userId ?? ''}\0${identity?.roles.join(',') ?? ''}`;
    const nowMs = now();
    const cached = signed.get(cacheKey);
    if (cached && cached.renewAtMs > nowMs) return cached.token;
    const iat = Math.floor(nowMs / 1000);
    const jwt = new SignJWT({ roles: identity?.roles ?? [] })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: TOKEN_TYPE })
      .setIssuer(options.name)
      .setAudience(typeof audience === 'string' ? audience : [...audience])
      .setIssuedAt(iat)
      .setExpirationTime(iat + IDENTITY_TOKEN_LIFETIME_S);
    if (identity) jwt.setSubject(identity.userId);
    const token = await jwt.sign(key.key);
    signed.set(cacheKey, { token, renewAtMs: (iat + IDENTITY_TOKEN_LIFETIME_S / 2) * 1000 });
    return token;
  }

  async function verify(token: string, expect: VerifyExpectations): Promise<Identity | null> {
    const cacheKey = `${expect.audience}\0${token}`;
    const known = verified.get(cacheKey);
    if (known && known.expiresAtMs + CLOCK_TOLERANCE_S * 1000 > now()) {
      checkSigner(known.signer, expect);
      return known.identity;
    }
    const result = await verifyToken(token, expect);
    verified.set(cacheKey, result);
    return result.identity;
  }

  function checkSigner(signer: string, expect: VerifyExpectations): void {
    if (expect.signers && !expect.signers.includes(signer)) {
      throw refuse(`Calls signed by "${signer}" are not accepted here`, 'IDENTITY_SIGNER_REFUSED');
    }
  }

  async function verifyToken(token: string, expect: VerifyExpectations): Promise<Verified> {
    let signer: unknown;
    let kid: unknown;
    try {
      signer = decodeJwt(token).iss;
      kid = decodeProtectedHeader(token).kid;
    } catch (err) {
      throw refuse('The identity token is malformed', 'IDENTITY_MALFORMED', err);
    }
    if (typeof signer !== 'string' || typeof kid !== 'string')
      throw refuse('The identity token names no signer or key', 'IDENTITY_MALFORMED');
    checkSigner(signer, expect);
    const key = options.trustedKeys.get(signer)?.get(kid);
    if (!key) {
      throw refuse(
        `The identity token is signed by "${signer}" with a key that is not trusted here`,
        'IDENTITY_UNKNOWN_KEY',
      );
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: ['EdDSA'],
        typ: TOKEN_TYPE,
        issuer: signer,
        audience: expect.audience,
        clockTolerance: CLOCK_TOLERANCE_S,
        maxTokenAge: IDENTITY_TOKEN_LIFETIME_S + CLOCK_TOLERANCE_S,
        requiredClaims: ['iat', 'exp', 'aud'],
        currentDate: new Date(now()),
      }));
    } catch (err) {
      throw refusalOf(err, expect.audience);
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success)
      throw refuse('The identity token has malformed claims', 'IDENTITY_MALFORMED');
    return {
      identity: identityOf(claims.data),
      signer,
      expiresAtMs: (payload.exp as number) * 1000,
    };
  }

  return { name: options.name, sign, verify };
}

/**
 * The signer of a token `verify` has accepted: the process that made the call (`gateway` for the
 * people it relays). Decoded only, so never for a token that was not verified first.
 */
export function signerOfVerified(token: string): string | null {
  try {
    const { iss } = decodeJwt(token);
    return typeof iss === 'string' ? iss : null;
  } catch {
    return null;
  }
}

/**
 * Only a service acting on its own behalf holds the `service` role; the gateway relays people,
 * so a gateway token claiming it is no service.
 */
function identityOf(claims: z.infer<typeof claimsSchema>): Identity | null {
  if (claims.sub === undefined) return null;
  const roles = [...new Set(claims.roles.filter(isRole))];
  return {
    userId: claims.sub,
    roles: claims.iss === GATEWAY_SIGNER ? roles.filter((r) => r !== 'service') : roles,
  };
}

function refusalOf(err: unknown, audience: string): AppError {
  if (err instanceof errors.JWTExpired)
    return refuse('The identity token has expired', 'IDENTITY_EXPIRED', err);
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return refuse('The identity token signature is invalid', 'IDENTITY_BAD_SIGNATURE', err);
  if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'aud')
    return refuse(
      `The identity token is not meant for ${audience}`,
      'IDENTITY_WRONG_AUDIENCE',
      err,
    );
  if (
    err instanceof errors.JWTClaimValidationFailed &&
    (err.claim === 'iat' || err.claim === 'nbf')
  )
    return refuse('The identity token is not valid yet or too old', 'IDENTITY_NOT_CURRENT', err);
  return refuse('The identity token is invalid', 'IDENTITY_INVALID', err);
}
