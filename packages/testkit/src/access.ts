import { readFileSync } from 'node:fs';
import type { Identity } from '@aftercare/kit';
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
import { gatewayIdentityHeader } from './identity';

/** One root field of a subgraph, called with the least valid arguments its schema allows. */
export interface RootFieldProbe {
  field: string;
  /** A complete operation (`query { … }` / `mutation { … }`) calling only this field. */
  operation: string;
}

// Syntactically valid samples; access checks must refuse before any of them is looked at.
const SCALAR_SAMPLES: Record<string, string> = {
  ID: '"01900000-0000-7000-8000-000000000000"',
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
  return Object.values(type?.getFields() ?? {})
    .filter((f) => !f.name.startsWith('_'))
    .map((f) => {
      const args = f.args
        .filter((a) => isNonNullType(a.type) && a.defaultValue === undefined)
        .map((a) => `${a.name}: ${sample(a.type)}`);
      const call = args.length ? `${f.name}(${args.join(', ')})` : f.name;
      const selection = isLeafType(getNamedType(f.type)) ? '' : ' { __typename }';
      return { field: f.name, operation: `${root.toLowerCase()} { ${call}${selection} }` };
    });
}

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
