// Imported FIRST by the in-process tests: telemetry must patch http, pg, graphql and grpc-js
// before the code under test takes functions out of them.
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { startTelemetry } from '../../../src/telemetry';

export const exporter = new InMemorySpanExporter();
export const telemetry = startTelemetry({
  serviceName: 'kit-telemetry-test',
  spanProcessors: [new SimpleSpanProcessor({ exporter })],
});
// jest loads modules through its own registry, which Node's require hooks never see.
telemetry.instrumentModules(require);
