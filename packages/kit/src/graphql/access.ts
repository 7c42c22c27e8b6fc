import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  defaultFieldResolver,
  type DocumentNode,
  getDirectiveValues,
  type GraphQLDirective,
  type GraphQLField,
  type GraphQLSchema,
  isNonNullType,
  isObjectType,
  print,
} from 'graphql';
import { requireRole, type Role, ROLES } from '../auth';
import type { SubgraphContext } from './subgraph';

/**
 * Who may use a field, declared once in the subgraph SDL next to the field itself:
 *
 * ```graphql
 * directive @access(roles: [String!], public: Boolean) on FIELD_DEFINITION
 * type Query { customer(id: ID!): Customer @access(roles: ["agent", "dispatcher"]) }
 * ```
 *
 * Every Query and Mutation field must carry it (`createSubgraph` refuses to start otherwise), so
 * no operation exists without its roles; a field of another type may carry it to gate that field
 * alone (a phone number on a type many roles read). `admin` passes every gate, as with
 * `requireRole`, and is listed only alone, for an operators' field no other role may use
 * (`roles: ["admin"]`, ADR 0025). `public: true` marks the few operations that authorise by
 * what they are given (a survey link's token). The gateway's composition drops the directive, so
 * it never reaches the client schema; `docs/access.md` is generated from the same declarations.
 */
export const ACCESS_DIRECTIVE_SDL =
  'directive @access(roles: [String!], public: Boolean) on FIELD_DEFINITION';

const ACCESS = 'access';
const ROOT_TYPES = ['Query', 'Mutation'] as const;
/**
 * Roles a declaration may name: every role but `admin`, who may do everything anyway, and
 * `service`, which never reaches a subgraph: the gateway's tokens cannot carry it (ADR 0010), and
 * services call each other over gRPC.
 */
const DECLARABLE: readonly string[] = ROLES.filter((r) => r !== 'admin' && r !== 'service');

export type FieldAccess = { public: true } | { public: false; roles: Role[] };

export interface AccessDeclaration {
  /** `Query`, `Mutation`, or the object type whose field is gated. */
  type: string;
  field: string;
  access: FieldAccess;
}

/** A subgraph SDL whose access declarations are missing or wrong; lists every problem at once. */
export class AccessDeclarationError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Access declarations (@access) are incomplete:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'AccessDeclarationError';
  }
}

/**
 * Every `@access` declaration of a built subgraph schema, root fields first in schema order.
 * Throws an AccessDeclarationError when a root field declares nothing, a role is unknown, a
 * declaration is both public and role-gated (or neither), or a gated non-root field is non-null
 * (its refusal would null the whole parent object).
 */
export function accessDeclarations(schema: GraphQLSchema): AccessDeclaration[] {
  const problems: string[] = [];
  const directive = schema.getDirective(ACCESS);
  if (!directive) problems.push(`the schema does not declare ${ACCESS_DIRECTIVE_SDL}`);
  else if (print({ ...directive.astNode!, description: undefined }) !== ACCESS_DIRECTIVE_SDL)
    problems.push(`@${ACCESS} must be declared exactly as ${ACCESS_DIRECTIVE_SDL}`);
  const declarations: AccessDeclaration[] = [];
  const types = Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .filter((t) => !t.name.startsWith('_'))
    .sort((a, b) => rootRank(a.name) - rootRank(b.name));
  for (const type of types) {
    const root = (ROOT_TYPES as readonly string[]).includes(type.name);
    for (const field of Object.values(type.getFields())) {
      // Federation's own `_service` and `_entities` are not the service's API.
      if (field.name.startsWith('_')) continue;
      const where = `${type.name}.${field.name}`;
      const raw = directive && fieldAccess(directive, field);
      if (!raw) {
        if (root) problems.push(`${where} declares no @${ACCESS}: say who may call it`);
        continue;
      }
      const access = parseAccess(raw, where, problems);
      if (!access) continue;
      if (!root && isNonNullType(field.type))
        problems.push(`${where} is gated, so it must be nullable (a refusal nulls only the field)`);
      declarations.push({ type: type.name, field: field.name, access });
    }
  }
  if (problems.length) throw new AccessDeclarationError(problems);
  return declarations;
}

/** The declarations of a subgraph SDL file's document (docs and tests read them without a server). */
export const subgraphAccess = (typeDefs: DocumentNode): AccessDeclaration[] =>
  accessDeclarations(buildSubgraphSchema([{ typeDefs }]));

/**
 * Wraps the resolver of every declared field so the caller's roles are checked before it runs —
 * before any lookup, so a refusal never tells whether an object exists or what state it is in.
 * Finer rules (a technician sees only their own orders) stay in the use cases.
 */
export function enforceAccess(schema: GraphQLSchema): void {
  for (const { type, field, access } of accessDeclarations(schema)) {
    if (access.public) continue;
    const target = schema.getType(type);
    if (!isObjectType(target)) continue;
    const gated = target.getFields()[field]!;
    const resolve = gated.resolve ?? defaultFieldResolver;
    const { roles } = access;
    gated.resolve = (source, args, ctx: SubgraphContext, info) => {
      requireRole(ctx.identity, ...roles);
      return resolve(source, args, ctx, info);
    };
  }
}

const rootRank = (name: string) => {
  const i = (ROOT_TYPES as readonly string[]).indexOf(name);
  return i === -1 ? ROOT_TYPES.length : i;
};

function fieldAccess(
  directive: GraphQLDirective,
  field: GraphQLField<unknown, unknown>,
): { roles?: readonly string[] | null; public?: boolean | null } | undefined {
  return field.astNode ? getDirectiveValues(directive, field.astNode) : undefined;
}

function parseAccess(
  raw: { roles?: readonly string[] | null; public?: boolean | null },
  where: string,
  problems: string[],
): FieldAccess | null {
  const roles = raw.roles ?? [];
  if (raw.public) {
    if (roles.length) problems.push(`${where} is public and names roles: pick one`);
    return { public: true };
  }
  if (!roles.length) {
    problems.push(`${where} names no role (public: true if anyone may call it)`);
    return null;
  }
  if (roles.length === 1 && roles[0] === 'admin') return { public: false, roles: ['admin'] };
  const unknown = roles.filter((r) => !DECLARABLE.includes(r));
  if (unknown.length) {
    problems.push(
      `${where} names ${unknown.map((r) => `"${r}"`).join(', ')}: roles are ${DECLARABLE.join(', ')} (admin may do everything anyway; name it alone for admin only)`,
    );
    return null;
  }
  if (new Set(roles).size !== roles.length) problems.push(`${where} names a role twice`);
  return { public: false, roles: roles as Role[] };
}
