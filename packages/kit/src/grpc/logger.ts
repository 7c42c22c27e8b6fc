/**
 * The slice of a pino logger the gRPC helpers need; the kit's `Logger` satisfies it, and tests
 * can pass a recorder.
 */
export interface GrpcLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
