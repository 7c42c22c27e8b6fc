export { type MethodRoles, withRoles } from './access';
export {
  type ClientRuntime,
  createGrpcClient,
  DEFAULT_CALL_TIMEOUT_MS,
  serviceClient,
} from './client';
export type {
  GeneratedClientConstructor,
  GrpcCallOptions,
  GrpcClientOptions,
  PromiseClient,
} from './client';
export { currentIdentity, runWithIdentity } from './context';
export { HealthStatus, OVERALL_HEALTH } from './health';
export type { ServingStatus } from './health';
export type { GrpcLogger } from './logger';
export { callerServiceOf, createGrpcServer } from './server';
export type {
  CallContext,
  GrpcServer,
  GrpcServerOptions,
  HandlerOf,
  ServiceHandlers,
  UnaryHandler,
} from './server';
export { ERROR_FIELD_KEY, ERROR_REASON_KEY, MASKED_INTERNAL_MESSAGE } from './status';
export * from './enums';
export { channelCredentialsOf, grpcTlsFromEnv, serverCredentialsOf, type GrpcTls } from './tls';
