/**
 * Typed application errors. Every transport maps these the same way (CONVENTIONS.md "Errors"):
 * gRPC status codes, GraphQL `extensions.code`, and a machine-readable `reason` front ends switch on.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'FAILED_PRECONDITION'
  | 'ALREADY_EXISTS'
  | 'ABORTED'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'INTERNAL';

export interface AppErrorOptions {
  /** Machine-readable reason, UPPER_SNAKE_CASE, e.g. `SIGNATURE_BEFORE_COMPLETION`. */
  reason?: string;
  /** The input field at fault, for INVALID_ARGUMENT (dot path, e.g. `contacts.0.mobile`). */
  field?: string;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly reason: string;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.reason = options.reason ?? code;
    this.field = options.field;
  }
}

export const invalidArgument = (message: string, field?: string, reason = 'INVALID_ARGUMENT') =>
  new AppError('INVALID_ARGUMENT', message, { field, reason });

export const notFound = (what: string, id: string) =>
  new AppError('NOT_FOUND', `${what} ${id} was not found`, {
    reason: `${toReason(what)}_NOT_FOUND`,
  });

export const conflict = (message: string, reason: string) =>
  new AppError('FAILED_PRECONDITION', message, { reason });

export const forbidden = (message = 'You are not allowed to do this', reason = 'FORBIDDEN') =>
  new AppError('PERMISSION_DENIED', message, { reason });

export const unauthenticated = (message = 'Authentication required') =>
  new AppError('UNAUTHENTICATED', message, { reason: 'UNAUTHENTICATED' });

export const unavailable = (message: string, cause?: unknown) =>
  new AppError('UNAVAILABLE', message, { reason: 'UNAVAILABLE', cause });

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

function toReason(what: string): string {
  return what
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/** GraphQL `extensions.code` for each error code (CONVENTIONS.md). */
export const graphqlCodeOf: Record<ErrorCode, string> = {
  INVALID_ARGUMENT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  FAILED_PRECONDITION: 'CONFLICT',
  ALREADY_EXISTS: 'CONFLICT',
  ABORTED: 'CONFLICT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  PERMISSION_DENIED: 'FORBIDDEN',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  DEADLINE_EXCEEDED: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};
