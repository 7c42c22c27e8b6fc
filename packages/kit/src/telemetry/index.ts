export { serviceNameFromEnv } from './env';
export {
  defaultInstrumentations,
  GRAPHQL_SPAN_DEPTH,
  UNTRACED_HTTP_PATHS,
} from './instrumentations';
export type { ModuleLoader } from './loaded-modules';
export {
  currentTelemetry,
  shutdownTelemetry,
  startTelemetry,
  type Telemetry,
  type TelemetryInstrumentation,
  type TelemetryOptions,
} from './sdk';
