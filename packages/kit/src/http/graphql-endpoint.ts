import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Identity } from '../auth';
import { graphqlCodeOf, isAppError, type AppError } from '../errors';
import type { AccessLog } from '../observability/access-log';
import { observeGraphQLRequest } from '../observability/graphql';
import type { Metrics } from '../observability/registry';
import {
  HeaderMap,
  type ApolloServer,
  type BaseContext,
  type HTTPGraphQLRequest,
} from '@apollo/server';

/** What a context builder sees of one HTTP request. */
export interface GraphQLRequestInfo {
  req: IncomingMessage;
  request: HTTPGraphQLRequest;
  /** The caller `authenticate` verified; null when anonymous or when the endpoint has no `authenticate`. */
  identity: Identity | null;
}

/**
 * An Apollo Server plus how to build its per-request context: Apollo Server 5 takes the context
 * function per integration, not in its constructor, so the two travel together.
 */
export interface GraphQLEndpoint<TContext extends BaseContext = BaseContext> {
  apollo: ApolloServer<TContext>;
  /**
   * Names the caller of a request before anything is parsed; throwing an UNAUTHENTICATED AppError
   * answers 401 with a GraphQL error body. Services set it to verify the gateway's identity token.
   */
  authenticate?(request: HTTPGraphQLRequest): Promise<Identity | null>;
  context(info: GraphQLRequestInfo): Promise<TContext>;
  /**
   * Runs the whole operation inside a scope, e.g. `runWithIdentity` so that gRPC calls made by
   * resolvers carry the caller. Context alone cannot do this: resolvers run after it returns.
   */
  runInScope?<T>(info: GraphQLRequestInfo, fn: () => Promise<T>): Promise<T>;
}

export function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** Hands one parsed request to Apollo (which applies CSRF prevention itself) and writes its answer. */
export async function serveGraphQL<TContext extends BaseContext>(
  endpoint: GraphQLEndpoint<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  search: string,
  observe: { metrics: Metrics; accessLog: AccessLog },
): Promise<void> {
  const request: HTTPGraphQLRequest = {
    method: req.method ?? 'GET',
    headers: headerMapOf(req),
    search,
    body,
  };
  await observeGraphQLRequest(observe, async (caller) => {
    let identity: Identity | null = null;
    if (endpoint.authenticate) {
      try {
        identity = await endpoint.authenticate(request);
      } catch (err) {
        if (!(isAppError(err) && err.code === 'UNAUTHENTICATED')) throw err;
        return { status: 401, body: sendGraphQLError(res, 401, err) };
      }
    }
    caller(identity);
    const info = { req, request, identity };
    const execute = () =>
      endpoint.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: request,
        context: () => endpoint.context(info),
      });
    const response = await (endpoint.runInScope ? endpoint.runInScope(info, execute) : execute());
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return { status: res.statusCode, body: response.body.string };
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
    return { status: res.statusCode };
  });
}

/** Answers a refusal made before Apollo; returns the body written. */
function sendGraphQLError(res: ServerResponse, status: number, err: AppError): string {
  const body = JSON.stringify({
    errors: [
      { message: err.message, extensions: { code: graphqlCodeOf[err.code], reason: err.reason } },
    ],
  });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(body);
  return body;
}
