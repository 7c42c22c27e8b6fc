import { ConfigError, type Env } from '../config';

/** `OTEL_SERVICE_NAME` (the OpenTelemetry convention) or else our own `SERVICE_NAME`. */
export function serviceNameFromEnv(env: Env = process.env): string {
  const name = env.OTEL_SERVICE_NAME?.trim() || env.SERVICE_NAME?.trim();
  if (name) return name;
  throw new ConfigError([
    'OTEL_SERVICE_NAME: set it (or SERVICE_NAME) so spans say which service made them',
  ]);
}
