import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  AppError,
  IDENTITY_HEADER,
  instruments,
  secondsSince,
  type Metrics,
  unavailable,
  type Identity,
  type InternalAuth,
  type Logger,
} from '@aftercare/kit';
import { GraphQLError } from 'graphql';
import type { Dispatcher } from 'undici';
import { subgraphFetcher } from './fetcher';
import { z } from 'zod';

export interface GatewayContext {
  /** The verified caller; null only for anonymous introspection (when allowed) and public root fields. */
  identity: Identity | null;
}

/**
 * Sends each subgraph request with the verified caller in a short-lived token signed by the
 * gateway for that subgraph alone (ADR 0010); an anonymous caller of a public field travels as a
 * token without a user. Subgraphs refuse requests without one, so nobody who reaches a subgraph
 * directly can claim to be anyone.
 */
export class IdentityForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly logger: Logger,
    private readonly auth: InternalAuth,
    private readonly metrics: Metrics,
    connections: Dispatcher,
  ) {
    // Undici, not Apollo's default make-fetch-happen: that stack (its agent, minipass,
    // node-fetch) cost about a sixth of the gateway's CPU per request, a third of it in
    // agent-base building an Error stack on every request to learn its caller (ADR 0034).
    super({ url, fetcher: subgraphFetcher(connections) });
    instruments.subgraphFetchDuration(metrics);
  }

  /** Times each fetch, by subgraph and the first error code of a failed one. */
  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    const start = performance.now();
    let errorType: string | undefined;
    try {
      const response = await super.process(options);
      const [first] = response.errors ?? [];
      if (first) errorType = String(first.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
      return response;
    } catch (error) {
      errorType = String(
        (error as { extensions?: { code?: unknown } }).extensions?.code ?? 'INTERNAL_SERVER_ERROR',
      );
      throw error;
    } finally {
      instruments
        .subgraphFetchDuration(this.metrics)
        .observe(
          { subgraph_name: this.subgraph, ...(errorType ? { error_type: errorType } : {}) },
          secondsSince(start),
        );
    }
  }

  override async willSendRequest(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<void> {
    const headers = options.request.http?.headers;
    if (!headers) return;
    const identity = (options.context as Partial<GatewayContext>).identity ?? null;
    headers.set(IDENTITY_HEADER, await this.auth.sign(identity, this.subgraph));
  }

  /**
   * A subgraph that cannot be reached is SERVICE_UNAVAILABLE for the client. A non-2xx answer
   * carrying GraphQL errors (a subgraph's context hook failed, e.g. its database is down) is
   * relayed: the subgraph's own formatter has already mapped and masked them. Any other non-2xx
   * answer is our own fault (a stale supergraph, a subgraph bug) and is masked, its body logged.
   */
  override didEncounterError(error: Error): never {
    if (!(error instanceof GraphQLError)) {
      this.logger.warn({ err: error, subgraph: this.subgraph }, 'subgraph unreachable');
      throw unavailable(`The ${this.subgraph} service is unavailable; try again shortly`, error);
    }
    const relayed = firstGraphQLError(error.extensions.response);
    if (relayed) {
      throw new GraphQLError(relayed.message, {
        extensions: { ...relayed.extensions, serviceName: this.subgraph },
      });
    }
    this.logger.error(
      { err: error, subgraph: this.subgraph, response: error.extensions.response },
      'subgraph answered with an HTTP error',
    );
    throw new AppError('INTERNAL', `The ${this.subgraph} subgraph answered with an HTTP error`, {
      cause: error,
    });
  }
}

const relayableError = z.object({
  message: z.string(),
  extensions: z.object({ code: z.string() }).loose(),
});

/** The first GraphQL error in the body of a failed subgraph response, if it has one with a code. */
function firstGraphQLError(response: unknown): z.infer<typeof relayableError> | undefined {
  const errors = (response as { body?: { errors?: unknown } } | undefined)?.body?.errors;
  if (!Array.isArray(errors)) return undefined;
  const parsed = relayableError.safeParse(errors[0]);
  return parsed.success ? parsed.data : undefined;
}
