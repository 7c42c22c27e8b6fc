import { readFileSync } from 'node:fs';
import {
  accessDeclarations,
  AppError,
  type FieldAccess,
  type GeneratedClientConstructor,
  type Identity,
  type MethodRoles,
  ROLES,
  type Role,
} from '@aftercare/kit';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { Client, credentials, type ServiceDefinition } from '@grpc/grpc-js';
import {
  type GraphQLInputType,
  type GraphQLObjectType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  parse,
} from 'graphql';
import { callWithEmptyRequest } from './grpc-probe';
import { subgraphRequest } from './helpers';
import { gatewayIdentityHeader, testGrpcClient } from './identity';

/** One root field of a subgraph, called with the least valid arguments its schema allows. */
export interface RootFieldProbe {
  field: string;
  /** A complete operation (`query { … }` / `mutation { … }`) calling only this field. */
  operation: string;
  /** Who may call it, as its `@access` declaration says. */
  access: FieldAccess;
}

/**
 * The value of every ID argument of a probe. A caller acting on their own figures (a technician's
 * own rating) uses it as their user id, so finer "only your own" rules do not mask the role gate.
 */
export const PROBE_ID = '01900000-0000-7000-8000-000000000000';

// Syntactically valid samples; access checks must refuse before any of them is looked at.
const SCALAR_SAMPLES: Record<string, string> = {
  ID: `"${PROBE_ID}"`,
  String: '"x"',
  Int: '1',
  Float: '1',
  Boolean: 'true',
  Date: '"2026-11-02"',
  DateTime: '"2026-11-02T00:00:00.000Z"',
};

function sample(type: GraphQLInputType): string {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return `[${sample(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter(
      (f) => isNonNullType(f.type) && f.defaultValue === undefined,
    );
    return `{ ${required.map((f) => `${f.name}: ${sample(f.type)}`).join(', ')} }`;
  }
  return SCALAR_SAMPLES[type.name] ?? '"x"';
}

/**
 * Every field of the subgraph's Query or Mutation type as a callable operation — read from the
 * schema file, so an access-matrix test built on it covers fields added later without a change.
 * Federation's own `_service`/`_entities` fields are left out (they are not the service's API).
 */
export function rootFieldProbes(schemaPath: string, root: 'Query' | 'Mutation'): RootFieldProbe[] {
  const schema = buildSubgraphSchema([{ typeDefs: parse(readFileSync(schemaPath, 'utf8')) }]);
  const type: GraphQLObjectType | null | undefined =
    root === 'Query' ? schema.getQueryType() : schema.getMutationType();
  const declared = accessDeclarations(schema).filter((d) => d.type === root);
  return Object.values(type?.getFields() ?? {})
    .filter((f) => !f.name.startsWith('_'))
    .map((f) => {
      const args = f.args
        .filter((a) => isNonNullType(a.type) && a.defaultValue === undefined)
        .map((a) => `${a.name}: ${sample(a.type)}`);
      const call = args.length ? `${f.name}(${args.join(', ')})` : f.name;
      const selection = isLeafType(getNamedType(f.type)) ? '' : ' { __typename }';
      return {
        field: f.name,
        operation: `${root.toLowerCase()} { ${call}${selection} }`,
        access: declared.find((d) => d.field === f.name)!.access,
      };
    });
}

/** Every Query field, then every Mutation field: the whole surface an access matrix covers. */
export const allRootFieldProbes = (schemaPath: string): RootFieldProbe[] => [
  ...rootFieldProbes(schemaPath, 'Query'),
  ...rootFieldProbes(schemaPath, 'Mutation'),
];

/** The names of the subgraph's Query or Mutation fields, sorted, read from its schema file. */
export const rootFieldNames = (schemaPath: string, root: 'Query' | 'Mutation'): string[] =>
  rootFieldProbes(schemaPath, root)
    .map((p) => p.field)
    .sort();

export interface AnonymousResponse {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** A GraphQL request to a subgraph from an anonymous caller, relayed (and signed) by the gateway. */
export async function anonymousSubgraphRequest(
  httpPort: number,
  query: string,
): Promise<AnonymousResponse> {
  return unsignedSubgraphRequest(httpPort, query, await gatewayIdentityHeader(null));
}

/** A GraphQL request to a subgraph with only the given headers: without them, no identity token at all. */
export async function unsignedSubgraphRequest(
  httpPort: number,
  query: string,
  headers: Record<string, string> = {},
): Promise<AnonymousResponse & { status: number }> {
  const res = await fetch(`http://127.0.0.1:${httpPort}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, ...((await res.json()) as AnonymousResponse) };
}

/**
 * Calls each probe as `caller` (null: anonymous) and returns the code of the first error each
 * got (undefined when it answered), so an access test compares the whole matrix at once.
 */
export async function probeCodes(
  httpPort: number,
  probes: readonly RootFieldProbe[],
  caller: Identity | null,
): Promise<[field: string, code: string | undefined][]> {
  const codes: [string, string | undefined][] = [];
  for (const { field, operation } of probes) {
    const res = caller
      ? await subgraphRequest(httpPort, operation, {}, caller)
      : await anonymousSubgraphRequest(httpPort, operation);
    codes.push([field, res.errors?.[0]?.extensions?.code]);
  }
  return codes;
}

const DECLARABLE = ROLES.filter((r) => r !== 'admin');
const declaredRoles = (access: FieldAccess): Role[] => (access.public ? [] : access.roles);

/**
 * The caller who holds every role a field does not declare (none but `admin` when it declares
 * them all): the strongest "wrong role" there is, so one request per field proves the gate.
 */
export const outsiderOf = (probe: RootFieldProbe): Identity => ({
  userId: PROBE_ID,
  roles: DECLARABLE.filter((r) => !declaredRoles(probe.access).includes(r)),
});

/**
 * Each role-gated probe called by its outsider (`outsiderOf`): `[field, code]` of the first error,
 * which must be FORBIDDEN for every field. Public fields are left out.
 */
export async function outsiderCodes(
  httpPort: number,
  probes: readonly RootFieldProbe[],
): Promise<[field: string, code: string | undefined][]> {
  const codes: [string, string | undefined][] = [];
  for (const probe of probes.filter((p) => !p.access.public)) {
    const res = await subgraphRequest(httpPort, probe.operation, {}, outsiderOf(probe));
    codes.push([probe.field, res.errors?.[0]?.extensions?.code]);
  }
  return codes;
}

/**
 * Each probe called once per role it declares, by a caller holding only that role (with `PROBE_ID`
 * as user id): the calls refused for the caller's role (UNAUTHENTICATED, or FORBIDDEN with the
 * plain reason `requireRole` gives; a finer rule names its own reason), as `field as role: code`.
 * Empty when the code lets in everyone the declaration names, so the generated access
 * documentation does not promise what the use cases refuse.
 */
export async function declaredRoleRefusals(
  httpPort: number,
  probes: readonly RootFieldProbe[],
): Promise<string[]> {
  const refusals: string[] = [];
  for (const probe of probes) {
    for (const role of declaredRoles(probe.access)) {
      const res = await subgraphRequest(
        httpPort,
        probe.operation,
        {},
        {
          userId: PROBE_ID,
          roles: [role],
        },
      );
      const { code, reason } = res.errors?.[0]?.extensions ?? {};
      if ((code === 'FORBIDDEN' && reason === 'FORBIDDEN') || code === 'UNAUTHENTICATED')
        refusals.push(`${probe.field} as ${role}: ${code}`);
    }
  }
  return refusals;
}

/**
 * Calls every unary method of a gRPC service definition (ts-proto `…Service`) with an empty
 * request and the given metadata (default: none, so no identity token); returns each method's
 * gRPC status code (0 when it answered).
 */
export async function anonymousGrpcCodes(
  address: string,
  service: ServiceDefinition,
  metadata: Record<string, string> = {},
): Promise<[method: string, code: number][]> {
  const client = new Client(address, credentials.createInsecure());
  try {
    const codes: [string, number][] = [];
    for (const [name, method] of Object.entries(service)) {
      codes.push([name, await callWithEmptyRequest(client, method, metadata)]);
    }
    return codes;
  } finally {
    client.close();
  }
}

/**
 * Calls every unary method of a generated client's service as a caller holding every role but the
 * method's declared ones, with the empty request (each field at its default: an id that is no id,
 * a month that is no month). Returns `[method, code]` of each answer — PERMISSION_DENIED
 * everywhere when roles are checked before the request is looked at.
 */
export async function grpcOutsiderCodes<C extends GeneratedClientConstructor>(
  Client: C,
  address: string,
  roles: MethodRoles<C['service']>,
): Promise<[method: string, code: string][]> {
  const client = testGrpcClient(Client, address) as unknown as Record<
    string,
    (request: unknown, options: { identity: Identity }) => Promise<unknown>
  > & { close(): void };
  try {
    const codes: [string, string][] = [];
    for (const [name, method] of Object.entries(Client.service)) {
      const declared = (roles as Record<string, readonly Role[]>)[name] ?? [];
      const outsider = { userId: PROBE_ID, roles: DECLARABLE.filter((r) => !declared.includes(r)) };
      const code = await client[name]!(method.requestDeserialize(Buffer.alloc(0)), {
        identity: outsider,
      }).then(
        () => 'OK',
        (e: unknown) => (e instanceof AppError ? e.code : String(e)),
      );
      codes.push([name, code]);
    }
    return codes;
  } finally {
    client.close();
  }
}
