// Imported FIRST by ids-only.test.ts: telemetry with nothing to export to must be running before
// http, pg, graphql and grpc-js load, as it is in a service preloaded without a collector.
import { startTelemetry } from '../../../src/telemetry';

// A developer's shell may configure a collector or a sampler: either would make spans recorded.
delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
delete process.env.OTEL_TRACES_SAMPLER;

export const telemetry = startTelemetry({ serviceName: 'kit-ids-only-test' });
// jest loads modules through its own registry, which Node's require hooks never see.
telemetry.instrumentModules(require);
