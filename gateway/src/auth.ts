import { HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { ROLES, type Identity, type Role } from '@aftercare/kit';
import { GraphQLError, Kind, parse, type SelectionSetNode } from 'graphql';
import jwt from 'jsonwebtoken';
import { z } from 'zod';

export interface JwtSettings {
  secret: string;
  issuer?: string;
  audience?: string;
}

/**
 * Roles a person can hold. `service` is left out on purpose: it marks another Aftercare service
 * calling over gRPC, and no token arriving from outside may claim it.
 */
const USER_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'service');

const claimsSchema = z.object({
  sub: z.string().min(1),
  roles: z.array(z.string()).default([]),
});

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
 * The caller named by an `Authorization: Bearer <JWT>` header (HS256), or null when there is no
 * header. A malformed header or a bad, expired or incomplete token throws UNAUTHENTICATED saying why.
 * Unknown roles are dropped rather than refused, so tokens from a newer issuer keep working.
 */
export function identityFromAuthorization(
  header: string | undefined,
  settings: JwtSettings,
): Identity | null {
  if (header === undefined || header.trim() === '') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1])
    throw unauthenticatedError(
      'The Authorization header must be "Bearer <token>"',
      'MALFORMED_AUTHORIZATION',
    );

  let payload: unknown;
  try {
    payload = jwt.verify(match[1], settings.secret, {
      algorithms: ['HS256'],
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

  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) {
    throw unauthenticatedError(
      'The access token must carry a "sub" (user id) and a "roles" array of strings',
      'TOKEN_INVALID',
    );
  }
  const roles = claims.data.roles.filter((r): r is Role =>
    (USER_ROLES as readonly string[]).includes(r),
  );
  return { userId: claims.data.sub, roles: [...new Set(roles)] };
}

/** The operation text of a GET or POST GraphQL request, if there is one to read. */
export function operationText(request: HTTPGraphQLRequest): string | undefined {
  if (request.method === 'GET')
    return new URLSearchParams(request.search).get('query') ?? undefined;
  const body = request.body as { query?: unknown } | undefined;
  return typeof body?.query === 'string' ? body.query : undefined;
}

/** True when every operation in `query` selects only introspection fields (`__schema`, `__type`, `__typename`). */
export function isIntrospectionOnly(query: string | undefined): boolean {
  if (query === undefined) return false;
  let document;
  try {
    document = parse(query);
  } catch {
    return false;
  }
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
): boolean {
  if (query === undefined) return false;
  let document;
  try {
    document = parse(query);
  } catch {
    return false;
  }
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
