/**
 * Preload: `node --require @aftercare/kit/dist/telemetry/register.js dist/main.js`.
 *
 * Instrumentation patches `pg`, `@grpc/grpc-js` and `graphql` from a require hook, so telemetry
 * must start before the app first requires them; only a preload guarantees that. Hence this file
 * imports the telemetry files alone, never the kit's index, which loads all three.
 * Service name: `OTEL_SERVICE_NAME` or `SERVICE_NAME`; collector: `OTEL_EXPORTER_OTLP_ENDPOINT`.
 *
 * Flushing: a process that ends by running out of work flushes on `beforeExit`. A service ends
 * with its lifecycle's `process.exit`, which skips `beforeExit`, so the service registers
 * `shutdownTelemetry` as its FIRST shutdown hook: hooks run in reverse, so it runs last, after
 * the app's own shutdown. No signal handlers here: one would cancel Node's default exit on
 * SIGTERM for a process that has none of its own.
 */
import { diag } from '@opentelemetry/api';
import { serviceNameFromEnv } from './env';
import { startTelemetry } from './sdk';

const telemetry = startTelemetry({ serviceName: serviceNameFromEnv() });

process.once('beforeExit', () => {
  telemetry.shutdown().catch((err: unknown) => diag.error('telemetry: final flush failed', err));
});
