import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';

const cannotRun = (message: string, reason: string) =>
  new GraphQLError(message, {
    extensions: { code: 'OPERATION_RESOLUTION_FAILURE', reason, http: { status: 400 } },
  });

/**
 * Refuses a request whose document names no runnable operation (several operations and no
 * `operationName`, an `operationName` the document does not hold) or asks for a subscription,
 * which no Aftercare graph serves. Left to Apollo, the gateway answers these with HTTP 500 and a
 * subgraph runs a subscription into an internal error. Register it first: `didResolveOperation`
 * hooks run together and the first refusal is the one answered.
 */
export function operationChecksPlugin<
  TContext extends BaseContext = BaseContext,
>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (!operation && typeof request.operationName === 'string') {
            throw cannotRun(
              'The document has no operation of the name given in "operationName"',
              'UNKNOWN_OPERATION_NAME',
            );
          }
          if (!operation) {
            throw cannotRun(
              'The document holds several operations: name the one to run in "operationName"',
              'OPERATION_NAME_REQUIRED',
            );
          }
          if (operation.operation === 'subscription') {
            throw cannotRun(
              'Subscriptions are not supported: run a query instead',
              'SUBSCRIPTION_NOT_SUPPORTED',
            );
          }
        },
      };
    },
  };
}
