import type { IncomingMessage, ServerResponse } from 'node:http';
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
}

/**
 * An Apollo Server plus how to build its per-request context: Apollo Server 5 takes the context
 * function per integration, not in its constructor, so the two travel together.
 */
export interface GraphQLEndpoint<TContext extends BaseContext = BaseContext> {
  apollo: ApolloServer<TContext>;
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
): Promise<void> {
  const request: HTTPGraphQLRequest = {
    method: req.method ?? 'GET',
    headers: headerMapOf(req),
    search,
    body,
  };
  const info = { req, request };
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
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
