// Imported FIRST by a test file: telemetry must patch http, pg, graphql and grpc-js before the
// system under test loads them, and jest's module registry needs the explicit instrumentModules
// call. The telemetry module alone, not the kit's index: that loads the generated gRPC clients,
// which keep the unpatched grpc-js functions they were built with (no gRPC spans).
import { startTelemetry } from '@aftercare/kit/telemetry';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';

export const exporter = new InMemorySpanExporter();
export const telemetry = startTelemetry({
  serviceName: 'aftercare-e2e',
  spanProcessors: [new SimpleSpanProcessor({ exporter })],
});
telemetry.instrumentModules(require);
