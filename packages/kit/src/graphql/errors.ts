import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unavailableFrom } from '../db/unavailable';
import { graphqlCodeOf, isAppError, type AppError } from '../errors';
import type { Logger } from '../logger';

export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

/**
 * Apollo `formatError` applying CONVENTIONS.md "Errors":
 * - an `AppError` becomes its GraphQL code with `reason` (and `field` for bad input);
 * - a `GraphQLError` raised on purpose (parse, validation, variable coercion, the gateway's
 *   limits, errors relayed from a subgraph) keeps its own code;
 * - the database being unreachable or out of connections is SERVICE_UNAVAILABLE (`unavailableFrom`);
 * - anything else — and an `AppError` of code INTERNAL — is masked; the client gets an
 *   `errorId` to quote, and the log line has the error, that id and the trace id.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const thrown = rootCause(error);
    const unavailable = isAppError(thrown) ? null : unavailableFrom(thrown);
    if (unavailable)
      logger.warn({ err: thrown, path: formatted.path }, 'a dependency is unavailable');
    const cause = unavailable ?? thrown;
    if (isAppError(cause) && cause.code !== 'INTERNAL') {
      return {
        ...withoutExtensions(formatted),
        message: cause.message,
        extensions: appErrorExtensions(cause),
      };
    }
    if (cause instanceof GraphQLError) return formatted;
    const errorId = randomUUID();
    logger.error(
      { err: cause, errorId, path: formatted.path },
      'unexpected error in GraphQL operation',
    );
    return {
      ...withoutExtensions(formatted),
      message: INTERNAL_ERROR_MESSAGE,
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
    };
  };
}

function appErrorExtensions(e: AppError): Record<string, unknown> {
  return {
    code: graphqlCodeOf[e.code],
    reason: e.reason,
    ...(e.field === undefined ? {} : { field: e.field }),
  };
}

/**
 * graphql-js and Apollo wrap what a resolver or context function threw in GraphQLErrors
 * (`originalError`). Follow the chain to the thrown Error; the gateway puts plain JSON objects
 * from subgraph responses there, which are not Errors, so the chain stops at its GraphQLError.
 */
function rootCause(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError instanceof Error)
    current = current.originalError;
  // Apollo wraps what is not `instanceof Error` (e.g. a socket error of another realm) in its
  // NonErrorThrown, keeping the value thrown.
  const thrownValue = (current as { thrownValue?: unknown } | null)?.thrownValue;
  return thrownValue ?? current;
}

function withoutExtensions({
  extensions: _extensions,
  ...rest
}: GraphQLFormattedError): GraphQLFormattedError {
  return rest;
}
