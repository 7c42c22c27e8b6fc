import {
  createHttpServer,
  createInternalAuth,
  createLogger,
  createSubgraph,
  gatewayAuthenticator,
  generateKeyPairJwk,
  IDENTITY_HEADER,
  parseSigningKey,
  parseTrustedKeys,
  invalidArgument,
  conflict,
  type HttpServer,
  type SubgraphContext,
} from '@aftercare/kit';
import { parse } from 'graphql';
import { composeSupergraph } from '../src/compose';
import { createGateway, type GatewayOptions } from '../src/gateway';

export const SECRET = 'test-secret-that-is-at-least-32-characters-long';
export const logger = createLogger('gateway-test', 'silent');

/** The gateway's key for signing subgraph requests, trusted by the things subgraph. */
const keys = generateKeyPairJwk();
export const GATEWAY_SIGNING_KEY = parseSigningKey(JSON.stringify(keys.privateJwk));
const gatewayAuth = createInternalAuth({
  name: 'gateway',
  signingKey: GATEWAY_SIGNING_KEY,
  trustedKeys: new Map(),
});
/** Headers of a request the gateway relays to the things subgraph (anonymous caller). */
export const relayedByGateway = async (): Promise<Record<string, string>> => ({
  [IDENTITY_HEADER]: await gatewayAuth.sign(null, 'things'),
});
const thingsAuth = createInternalAuth({
  name: 'things',
  trustedKeys: parseTrustedKeys(JSON.stringify({ gateway: [keys.publicJwk] })),
});

export const THINGS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  directive @access(roles: [String!], public: Boolean) on FIELD_DEFINITION
  "Public: the tests look at what the gateway forwards, whoever calls."
  type Query {
    thing(id: ID!): Thing @access(public: true)
    failing(kind: String!): Thing @access(public: true)
  }
  "Echoes what the gateway forwarded, so tests can see it."
  type Thing @key(fields: "id") {
    id: ID!
    seenUserId: String
    seenRoles: [String!]!
    child: Thing
  }
`;

/**
 * A subgraph whose things report the identity the gateway forwarded; counts the requests it gets.
 * With `contextFailure`, its context hook throws that for every request.
 */
export async function startThingsSubgraph(contextFailure?: Error): Promise<{
  url: string;
  requests: () => number;
  http: HttpServer;
}> {
  let requests = 0;
  const thing = (id: string, ctx: SubgraphContext) => ({
    id,
    seenUserId: ctx.identity?.userId ?? null,
    seenRoles: ctx.identity?.roles ?? [],
  });
  const subgraph = createSubgraph({
    typeDefs: parse(THINGS_SDL),
    logger,
    context: (base) => {
      requests += 1;
      if (contextFailure) throw contextFailure;
      return base;
    },
    resolvers: {
      Query: {
        thing: (_: unknown, { id }: { id: string }, ctx: SubgraphContext) => thing(id, ctx),
        failing: (_: unknown, { kind }: { kind: string }) => {
          if (kind === 'input')
            throw invalidArgument(
              'mobile must have 11 digits',
              'contacts.0.mobile',
              'INVALID_MOBILE',
            );
          if (kind === 'conflict')
            throw conflict('The customer has not signed yet', 'SIGNATURE_BEFORE_COMPLETION');
          throw new Error('secret detail: db password is hunter2');
        },
      },
      Thing: {
        __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => thing(ref.id, ctx),
        child: (parent: { id: string }, _: unknown, ctx: SubgraphContext) =>
          thing(`${parent.id}.c`, ctx),
      },
    },
  });
  const http = createHttpServer({
    logger,
    graphql: { ...subgraph, authenticate: gatewayAuthenticator(thingsAuth, 'things') },
  });
  const port = await http.listen('127.0.0.1', 0);
  return { url: `http://127.0.0.1:${port}/graphql`, requests: () => requests, http };
}

export type TestGatewayOptions = Partial<Omit<GatewayOptions, 'supergraphSdl' | 'logger'>>;

/**
 * A gateway over the things subgraph, composed in-process. The supergraph carries a dead URL on
 * purpose: the gateway must reach the subgraph through the override, as deployments do.
 */
export async function startGateway(subgraphUrl: string, options: TestGatewayOptions = {}) {
  const supergraphSdl = composeSupergraph([
    { name: 'things', url: 'http://127.0.0.1:9/graphql', typeDefs: parse(THINGS_SDL) },
  ]);
  const gateway = createGateway({
    supergraphSdl,
    logger,
    jwt: { secret: SECRET },
    allowIntrospection: false,
    limits: { maxDepth: 5, maxCost: 50 },
    subgraphUrls: { things: subgraphUrl },
    signingKey: GATEWAY_SIGNING_KEY,
    ...options,
  });
  const port = await gateway.http.listen('127.0.0.1', 0);
  return { ...gateway, url: `http://127.0.0.1:${port}/graphql` };
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
}

export async function query(url: string, text: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: text }),
  });
  return { status: res.status, body: (await res.json()) as GraphQLBody };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
