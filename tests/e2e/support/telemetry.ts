// Imported FIRST by a test file: telemetry must patch http, pg and graphql before the system
// under test loads them, and jest's module registry needs the explicit instrumentModules call.
import { startTelemetry } from '@aftercare/kit';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';

export const exporter = new InMemorySpanExporter();
export const telemetry = startTelemetry({
  serviceName: 'aftercare-e2e',
  spanProcessors: [new SimpleSpanProcessor({ exporter })],
});
telemetry.instrumentModules(require);
