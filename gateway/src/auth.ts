import { createSecretKey, type KeyObject } from 'node:crypto';
import { HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { ROLES, type Identity, type Role } from '@aftercare/kit';
import {
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type ParseOptions,
  type SelectionSetNode,
} from 'graphql';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';

export interface JwtSettings {
  secret: string;
  issuer?: string;
  audience?: string;
  /** Longest lifetime (`exp` − `iat`) accepted, in seconds (default DEFAULT_JWT_MAX_LIFETIME_S). */
  maxLifetimeSeconds?: number;
  /** Clock difference tolerated on `exp`, `nbf` and `iat`, in seconds (default DEFAULT_JWT_CLOCK_SKEW_S). */
  clockSkewSeconds?: number;
}

/** An hour: a leaked token is useful for no longer, and clients renew through their identity provider. */
export const DEFAULT_JWT_MAX_LIFETIME_S = 3600;
/** Enough for clocks kept by NTP; more would stretch every token's life by as much. */
export const DEFAULT_JWT_CLOCK_SKEW_S = 30;

/**
 * Roles a person can hold. `service` is left out on purpose: it marks another Aftercare service
 * calling over gRPC, and no token arriving from outside may claim it.
 */
const USER_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'service');

const claimsSchema = z.object({
  userId: z.string().min(1),
  roles: z.array(z.string()).default([]),
});

/** Where a token names its user and roles: `sub` and `roles` in our HS256 tokens. */
export interface ClaimNames {
  userIdClaim: string;
  rolesClaim: string;
}
const HS256_CLAIMS: ClaimNames = { userIdClaim: 'sub', rolesClaim: 'roles' };

/** What the lifetime checks need; JwtSettings and an OIDC provider's settings both carry it. */
type LifetimeSettings = Pick<JwtSettings, 'maxLifetimeSeconds' | 'clockSkewSeconds'>;

/** UNAUTHENTICATED, answered with HTTP 401 so clients and proxies see it without reading the body. */
export function unauthenticatedError(message: string, reason: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      reason,
      http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer']]) },
    },
  });
}

/**
 * FORBIDDEN (HTTP 403) for a token that is genuine but grants nothing: it names no role of ours.
 * The caller is known, so this is not UNAUTHENTICATED; refusing here, for every operation, keeps
 * such a token from reaching resolvers that only check that someone is logged in.
 */
function noKnownRoleError(): GraphQLError {
  return new GraphQLError(
    `The access token names no Aftercare role (roles are: ${USER_ROLES.join(', ')})`,
    { extensions: { code: 'FORBIDDEN', reason: 'NO_KNOWN_ROLE', http: { status: 403 } } },
  );
}

/**
 * The HS256 secret as a key object, made once: given a string, jsonwebtoken first tries it as a
 * public key (which throws) and then makes a secret key, per token verified.
 */
const secretKeys = new Map<string, KeyObject>();
const secretKey = (secret: string): KeyObject => {
  let key = secretKeys.get(secret);
  if (!key) secretKeys.set(secret, (key = createSecretKey(Buffer.from(secret))));
  return key;
};

function verified(token: string, settings: JwtSettings): unknown {
  try {
    return jwt.verify(token, secretKey(settings.secret), {
      algorithms: ['HS256'],
      clockTolerance: settings.clockSkewSeconds ?? DEFAULT_JWT_CLOCK_SKEW_S,
      ...(settings.issuer ? { issuer: settings.issuer } : {}),
      ...(settings.audience ? { audience: settings.audience } : {}),
    });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) {
      throw unauthenticatedError(
        `The access token expired at ${err.expiredAt.toISOString()}`,
        'TOKEN_EXPIRED',
      );
    }
    if (err instanceof jwt.NotBeforeError) {
      throw unauthenticatedError(
        `The access token is not valid before ${err.date.toISOString()}`,
        'TOKEN_NOT_YET_VALID',
      );
    }
    throw unauthenticatedError(
      `The access token is invalid: ${(err as Error).message}`,
      'TOKEN_INVALID',
    );
  }
}

/**
 * Checks what the signature library leaves open: a token must expire (`exp`), live no longer than
 * the configured maximum, and not claim to be issued in the future (`iat`, a number). Without
 * `iat` the lifetime counts from now.
 */
export function checkLifetime(payload: Record<string, unknown>, settings: LifetimeSettings): void {
  const skew = settings.clockSkewSeconds ?? DEFAULT_JWT_CLOCK_SKEW_S;
  const maxLifetime = settings.maxLifetimeSeconds ?? DEFAULT_JWT_MAX_LIFETIME_S;
  const now = Date.now() / 1000;
  const { exp, iat } = payload;
  if (exp === undefined)
    throw unauthenticatedError('The access token has no expiry ("exp")', 'TOKEN_WITHOUT_EXPIRY');
  if (iat !== undefined && typeof iat !== 'number')
    throw unauthenticatedError(
      'The access token\'s "iat" must be a number of seconds since 1970',
      'TOKEN_INVALID',
    );
  if (typeof iat === 'number' && iat > now + skew)
    throw unauthenticatedError(
      `The access token claims to be issued in the future (${new Date(iat * 1000).toISOString()})`,
      'TOKEN_ISSUED_IN_FUTURE',
    );
  const lifetime = (exp as number) - (typeof iat === 'number' ? iat : now);
  if (lifetime > maxLifetime + (typeof iat === 'number' ? 0 : skew))
    throw unauthenticatedError(
      `The access token lives ${Math.round(lifetime)} s, longer than the ${maxLifetime} s allowed`,
      'TOKEN_LIFETIME_TOO_LONG',
    );
}

/**
 * The bearer token of an `Authorization` header, or null when there is no header; anything but
 * `Bearer <token>` throws MALFORMED_AUTHORIZATION.
 */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined || header.trim() === '') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1])
    throw unauthenticatedError(
      'The Authorization header must be "Bearer <token>"',
      'MALFORMED_AUTHORIZATION',
    );
  return match[1];
}

/**
 * The caller named by a verified token's claims: a user id and at least one of our roles. A token
 * naming none of our roles throws FORBIDDEN; unknown roles beside a known one are dropped rather
 * than refused, so tokens from a newer issuer keep working.
 */
export function identityOfClaims(payload: Record<string, unknown>, names: ClaimNames): Identity {
  const claims = claimsSchema.safeParse({
    userId: claimAt(payload, names.userIdClaim),
    roles: claimAt(payload, names.rolesClaim),
  });
  if (!claims.success) {
    throw unauthenticatedError(
      `The access token must carry a "${names.userIdClaim}" (user id) and a "${names.rolesClaim}" array of strings`,
      'TOKEN_INVALID',
    );
  }
  const roles = claims.data.roles.filter((r): r is Role =>
    (USER_ROLES as readonly string[]).includes(r),
  );
  if (roles.length === 0) throw noKnownRoleError();
  return { userId: claims.data.userId, roles: [...new Set(roles)] };
}

/**
 * The caller named by an `Authorization: Bearer <JWT>` header (HS256), or null when there is no
 * header. A malformed header or a bad, expired, unexpiring, too long-lived or incomplete token
 * throws UNAUTHENTICATED saying why; a token naming none of our roles throws FORBIDDEN.
 */
export function identityFromAuthorization(
  header: string | undefined,
  settings: JwtSettings,
): Identity | null {
  const token = bearerToken(header);
  return token === null ? null : identityFromHs256(token, settings);
}

interface Accepted {
  identity: Identity;
  /** The second (Unix time) from which the token counts as expired. */
  expiredFromS: number;
}

/**
 * Tokens accepted, per settings, until they expire: a client sends the same token with every
 * request, and its HMAC and checks were a twentieth of the gateway's CPU per request. Only
 * acceptances are kept, and none outlives its token: every other check, once passed, stays
 * passed as time goes on (`nbf`, `iat` not in the future, the lifetime), so a kept token gets
 * the answer it would get verified again. A refused token is verified again every time.
 */
const acceptedTokens = new WeakMap<JwtSettings, LRUCache<string, Accepted>>();

/** The caller named by an HS256 token signed with `settings.secret`. */
export function identityFromHs256(token: string, settings: JwtSettings): Identity {
  let accepted = acceptedTokens.get(settings);
  if (!accepted) acceptedTokens.set(settings, (accepted = new LRUCache({ max: 10_000 })));
  const known = accepted.get(token);
  // jsonwebtoken's own test of `exp`, on whole seconds.
  if (known && Math.floor(Date.now() / 1000) < known.expiredFromS) return known.identity;
  const payload = verified(token, settings);
  if (typeof payload !== 'object' || payload === null)
    throw unauthenticatedError('The access token must carry a JSON object', 'TOKEN_INVALID');
  checkLifetime(payload as Record<string, unknown>, settings);
  const identity = identityOfClaims(payload as Record<string, unknown>, HS256_CLAIMS);
  const { exp } = payload as { exp: number };
  accepted.set(token, {
    identity,
    expiredFromS: exp + (settings.clockSkewSeconds ?? DEFAULT_JWT_CLOCK_SKEW_S),
  });
  return identity;
}

/** The claim at `path`: the claim of that exact name, else the dotted path through objects. */
export function claimAt(payload: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let value: unknown = payload;
  for (const step of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, step))
      return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** The operation text of a GET or POST GraphQL request, if there is one to read. */
export function operationText(request: HTTPGraphQLRequest): string | undefined {
  if (request.method === 'GET')
    return new URLSearchParams(request.search).get('query') ?? undefined;
  const body = request.body as { query?: unknown } | undefined;
  return typeof body?.query === 'string' ? body.query : undefined;
}

/** The document, or undefined when there is none or it does not parse within `options`. */
function parsed(query: string | undefined, options?: ParseOptions): DocumentNode | undefined {
  if (query === undefined) return undefined;
  try {
    return parse(query, options);
  } catch {
    return undefined;
  }
}

/**
 * True when every operation in `query` selects only introspection fields (`__schema`, `__type`,
 * `__typename`). `options` bound the parsing (`maxTokens`): an anonymous caller's text is read here.
 */
export function isIntrospectionOnly(query: string | undefined, options?: ParseOptions): boolean {
  const document = parsed(query, options);
  if (!document) return false;
  const fragments = new Map(
    document.definitions
      .filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d.selectionSet]),
  );
  const onlyIntrospection = (set: SelectionSetNode, seen: Set<string>): boolean =>
    set.selections.every((s) => {
      if (s.kind === Kind.FIELD) return s.name.value.startsWith('__');
      if (s.kind === Kind.INLINE_FRAGMENT) return onlyIntrospection(s.selectionSet, seen);
      const fragment = fragments.get(s.name.value);
      if (!fragment || seen.has(s.name.value)) return false;
      return onlyIntrospection(fragment, new Set(seen).add(s.name.value));
    });
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  return (
    operations.length > 0 && operations.every((op) => onlyIntrospection(op.selectionSet, new Set()))
  );
}

/**
 * Root fields an anonymous caller may select, per operation type. Each authorises by what the
 * caller presents instead of a login: the survey link token (R-SV-1) is checked by the survey
 * subgraph itself. Add a field here only when its resolver needs no identity.
 */
export const PUBLIC_ROOT_FIELDS: Readonly<Record<'query' | 'mutation', readonly string[]>> = {
  query: ['surveyByToken'],
  mutation: ['answerSurveyByToken'],
};

/**
 * True when every operation of `query` is a query or mutation whose root fields are all on the
 * public allow-list (or `__typename`) and that selects at least one of them; anything else in the
 * document (another root field, an introspection field, a subscription, an unknown fragment, an
 * operation of `__typename` alone) makes it false. Aliases do not matter: the field name is checked.
 */
export function isPublicOnly(
  query: string | undefined,
  allowed: Readonly<Record<'query' | 'mutation', readonly string[]>> = PUBLIC_ROOT_FIELDS,
  options?: ParseOptions,
): boolean {
  const document = parsed(query, options);
  if (!document) return false;
  const fragments = new Map(
    document.definitions
      .filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d.selectionSet]),
  );
  // The root fields an operation selects, through fragments; null when it selects anything else.
  const rootFields = (
    set: SelectionSetNode,
    fields: readonly string[],
    seen: Set<string>,
  ): string[] | null => {
    const found: string[] = [];
    for (const s of set.selections) {
      let nested: string[] | null;
      if (s.kind === Kind.FIELD) {
        if (s.name.value !== '__typename' && !fields.includes(s.name.value)) return null;
        nested = [s.name.value];
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        nested = rootFields(s.selectionSet, fields, seen);
      } else {
        const fragment = fragments.get(s.name.value);
        if (!fragment || seen.has(s.name.value)) return null;
        nested = rootFields(fragment, fields, new Set(seen).add(s.name.value));
      }
      if (!nested) return null;
      found.push(...nested);
    }
    return found;
  };
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  return (
    operations.length > 0 &&
    operations.every((op) => {
      if (op.operation !== 'query' && op.operation !== 'mutation') return false;
      const fields = allowed[op.operation];
      const selected = rootFields(op.selectionSet, fields, new Set());
      // `{ __typename }` alone is no public operation: it would only let anyone probe the graph.
      return selected !== null && selected.some((f) => f !== '__typename');
    })
  );
}
