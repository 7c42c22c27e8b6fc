import {
  Metadata,
  status as GrpcStatus,
  type ServiceError,
  type StatusObject,
} from '@grpc/grpc-js';
import { AppError, type ErrorCode } from '../errors';

/** Trailing-metadata keys that carry AppError details across a gRPC call. */
export const ERROR_REASON_KEY = 'x-error-reason';
export const ERROR_FIELD_KEY = 'x-error-field';

/** What callers see instead of the real message of an unexpected failure. */
export const MASKED_INTERNAL_MESSAGE = 'internal error';

const statusOfCode: Record<ErrorCode, GrpcStatus> = {
  INVALID_ARGUMENT: GrpcStatus.INVALID_ARGUMENT,
  NOT_FOUND: GrpcStatus.NOT_FOUND,
  FAILED_PRECONDITION: GrpcStatus.FAILED_PRECONDITION,
  ALREADY_EXISTS: GrpcStatus.ALREADY_EXISTS,
  ABORTED: GrpcStatus.ABORTED,
  UNAUTHENTICATED: GrpcStatus.UNAUTHENTICATED,
  PERMISSION_DENIED: GrpcStatus.PERMISSION_DENIED,
  UNAVAILABLE: GrpcStatus.UNAVAILABLE,
  DEADLINE_EXCEEDED: GrpcStatus.DEADLINE_EXCEEDED,
  INTERNAL: GrpcStatus.INTERNAL,
};

/** Statuses with no AppError twin, folded into the nearest one. */
const codeOfForeignStatus: Partial<Record<GrpcStatus, ErrorCode>> = {
  [GrpcStatus.OUT_OF_RANGE]: 'INVALID_ARGUMENT',
  [GrpcStatus.CANCELLED]: 'UNAVAILABLE',
  [GrpcStatus.RESOURCE_EXHAUSTED]: 'UNAVAILABLE',
};

const codeOfStatus = new Map<GrpcStatus, ErrorCode>(
  (Object.entries(statusOfCode) as [ErrorCode, GrpcStatus][]).map(([code, status]) => [
    status,
    code,
  ]),
);

/**
 * Longest message (in characters) a status carries. The message travels percent-encoded in an
 * HTTP/2 trailer (up to 9 bytes a character); one over the peer's header-list limit (64 KiB by
 * default) makes the peer tear down the whole connection, failing every call on it — and a
 * message may quote input of any length.
 */
export const MAX_STATUS_MESSAGE_LENGTH = 1000;

/**
 * The status a server sends for an AppError. INTERNAL messages are masked like unknown errors:
 * they may describe internals, and the caller can do nothing with them (the reason survives).
 */
export function toStatusObject(error: AppError): Partial<StatusObject> {
  const metadata = new Metadata();
  metadata.set(ERROR_REASON_KEY, error.reason);
  if (error.field !== undefined) metadata.set(ERROR_FIELD_KEY, error.field);
  return {
    code: statusOfCode[error.code],
    details: error.code === 'INTERNAL' ? MASKED_INTERNAL_MESSAGE : bounded(error.message),
    metadata,
  };
}

/** Cut by code points, so no surrogate pair is split (grpc-js cannot encode half of one). */
function bounded(message: string): string {
  if (message.length <= MAX_STATUS_MESSAGE_LENGTH) return message;
  return `${[...message].slice(0, MAX_STATUS_MESSAGE_LENGTH - 1).join('')}…`;
}

export function isServiceError(e: unknown): e is ServiceError {
  const candidate = e as Partial<ServiceError> | null;
  return (
    e instanceof Error &&
    typeof candidate?.code === 'number' &&
    typeof candidate.metadata?.get === 'function'
  );
}

/**
 * Rebuilds the AppError a call failed with. A reason in the trailers means one of our servers
 * threw it on purpose, so code, message, reason and field come back unchanged. Without one the
 * failure came from the transport (connection refused, deadline, cancelled, …): UNAVAILABLE and
 * DEADLINE_EXCEEDED become UNAVAILABLE naming `target`, so the caller knows which dependency failed.
 */
export function fromServiceError(error: ServiceError, target: string): AppError {
  const reason = firstString(error.metadata, ERROR_REASON_KEY);
  const field = firstString(error.metadata, ERROR_FIELD_KEY);
  const code = codeOfStatus.get(error.code) ?? codeOfForeignStatus[error.code] ?? 'INTERNAL';
  if (reason !== undefined)
    return new AppError(code, error.details, { reason, field, cause: error });
  if (code === 'UNAVAILABLE' || code === 'DEADLINE_EXCEEDED') {
    const what =
      error.code === GrpcStatus.DEADLINE_EXCEEDED ? 'did not answer in time' : 'is unavailable';
    // The transport's details name hosts and ports; they stay in `cause` (logged), not the message
    // that may reach a front end.
    return new AppError('UNAVAILABLE', `${target} ${what}`, {
      reason: GrpcStatus[error.code],
      cause: error,
    });
  }
  return new AppError(code, `${target} failed with ${GrpcStatus[error.code]}`, {
    reason: code,
    cause: error,
  });
}

function firstString(metadata: Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
