import { AppError } from '../errors';

/** Connection-level failures of the socket under the database driver. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs saying the database cannot serve now rather than that the request is wrong: class 08
 * (connection exception), 57P01–57P03 (shut down, crashed, starting up), 53300 (no free
 * connection slot), 53000 (insufficient resources).
 */
const unavailableState = (state: string) =>
  state.startsWith('08') || ['57P01', '57P02', '57P03', '53300', '53000'].includes(state);

const POOL_TIMEOUT = /Timeout acquiring a connection/;

/** pg's own messages for a connection that died under it (they carry no code). */
const DROPPED = /Connection terminated|connection error and is not queryable|Client was closed/i;

/**
 * The database being unreachable, restarting or out of connections is the service being
 * unavailable, not a bug: callers get UNAVAILABLE (GraphQL `SERVICE_UNAVAILABLE`) with a reason
 * and may retry, and operators see it as a dependency failure rather than an internal error
 * (issue 17). Returns null for anything else. Follows MikroORM's and pg's wrapping (`cause`).
 */
export function unavailableFrom(error: unknown): AppError | null {
  // Duck-typed, not `instanceof Error`: errors of Node's sockets come from another realm under jest.
  for (let e = error, depth = 0; isErrorLike(e) && depth < 5; e = e.cause, depth += 1) {
    const { code, name } = e;
    // MikroORM re-wraps knex's KnexTimeoutError as a DriverException: its message is what stays.
    if (
      name === 'KnexTimeoutError' ||
      (typeof e.message === 'string' && POOL_TIMEOUT.test(e.message))
    )
      return new AppError('UNAVAILABLE', 'every database connection is busy; try again shortly', {
        reason: 'DATABASE_BUSY',
        cause: error,
      });
    const connectionLost =
      name === 'ConnectionException' ||
      (typeof code === 'string' && (NETWORK_CODES.has(code) || unavailableState(code))) ||
      (typeof e.message === 'string' && DROPPED.test(e.message));
    if (connectionLost)
      return new AppError('UNAVAILABLE', 'the database is unavailable; try again shortly', {
        reason: 'DATABASE_UNAVAILABLE',
        cause: error,
      });
  }
  return null;
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

const isErrorLike = (e: unknown): e is ErrorLike => typeof e === 'object' && e !== null;
