import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  AppError,
  unavailable,
  USER_ID_HEADER,
  USER_ROLES_HEADER,
  type Identity,
  type Logger,
} from '@aftercare/kit';
import { GraphQLError } from 'graphql';
import { z } from 'zod';

export interface GatewayContext {
  /** The verified caller; null only for anonymous introspection (when allowed) and public root fields. */
  identity: Identity | null;
}

/**
 * Sends subgraph requests with the verified caller in `x-aftercare-user-id`/`-roles`. Those
 * headers are always rebuilt from the token, never copied from the client, so they cannot be
 * forged through the gateway.
 */
export class IdentityForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly logger: Logger,
  ) {
    super({ url });
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = options.request.http?.headers;
    if (!headers) return;
    headers.delete(USER_ID_HEADER);
    headers.delete(USER_ROLES_HEADER);
    const identity = (options.context as Partial<GatewayContext>).identity;
    if (identity) {
      headers.set(USER_ID_HEADER, identity.userId);
      headers.set(USER_ROLES_HEADER, identity.roles.join(','));
    }
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
