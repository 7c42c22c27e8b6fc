import { forbidden, unauthenticated } from './errors';

/** Roles of SPEC.md §7. */
export const ROLES = [
  'agent',
  'dispatcher',
  'technician',
  'workshop',
  'warehouse',
  'tool_keeper',
  'customer_relations',
  'manager',
  'auditor',
  'admin',
  /** Another Aftercare service calling over gRPC or consuming events on its own behalf. */
  'service',
] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  userId: string;
  roles: Role[];
}

export const isRole = (value: string): value is Role =>
  (ROLES as readonly string[]).includes(value);

/** Known roles of a comma-separated list; unknown ones are dropped. */
export function parseRoles(raw: string | undefined | null): Role[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((r) => r.trim())
    .filter(isRole);
}

/**
 * Throws unless the caller holds one of `allowed`. `admin` may do everything.
 * Returns the identity so handlers can write `const me = requireRole(ctx.identity, 'agent')`.
 */
export function requireRole(identity: Identity | null | undefined, ...allowed: Role[]): Identity {
  if (!identity) throw unauthenticated();
  if (hasRole(identity, ...allowed)) return identity;
  throw forbidden(`This needs one of the roles: ${allowed.join(', ')}`);
}

/**
 * Whether the caller holds one of `allowed` (`admin` always does): the question behind
 * `requireRole`, for rules that choose between readings rather than refuse (a technician sees only
 * their own figures, a manager everyone's).
 */
export const hasRole = (
  identity: { readonly roles: readonly string[] } | null | undefined,
  ...allowed: readonly Role[]
): boolean =>
  !!identity && identity.roles.some((r) => r === 'admin' || allowed.includes(r as Role));
