import type { Logger } from '../logger';

/** One line per GraphQL request or gRPC call (`msg: "access"`); trace ids come from the logger's mixin. */
export interface AccessEntry {
  /** `graphql` or `grpc`. */
  protocol: 'graphql' | 'grpc';
  /** GraphQL operation name (or `anonymous`), or the gRPC method path. */
  operation: string;
  /** GraphQL: query, mutation or subscription. */
  operation_type?: string;
  /** GraphQL: the HTTP status; gRPC: the status code name (`OK`, `NOT_FOUND`). */
  status: number | string;
  /** The first error's code, when the request failed. */
  error_code?: string;
  duration_ms: number;
  /** The caller's id only: nothing else about a person goes into access logs. */
  user_id: string | null;
}

export interface AccessLog {
  write(entry: AccessEntry, failed: boolean): void;
}

/**
 * Writes access lines at `info`, keeping a `sampleRatio` share of the successful ones (1 = all,
 * 0 = none) under high traffic; failures are always written.
 */
export function createAccessLog(logger: Logger, sampleRatio = 1): AccessLog {
  const log = logger.child({ component: 'access' });
  return {
    write(entry, failed) {
      if (!failed && (sampleRatio <= 0 || (sampleRatio < 1 && Math.random() >= sampleRatio)))
        return;
      const fields = { ...entry, duration_ms: Math.round(entry.duration_ms * 100) / 100 };
      log.info(fields, 'access');
    },
  };
}
