import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  startOtlpCollector,
  type CollectedSpan,
  type OtlpCollector,
} from './support/otlp-collector';

const run = promisify(execFile);

/** What support/traced-scenario.ts prints. */
interface Scenario {
  traceId: string;
  seenByServers: string[];
  patched: Record<'http' | 'pg' | 'graphql' | 'grpc', boolean>;
}

const kitRoot = path.resolve(__dirname, '../..');

/**
 * Starts `script` the way a service runs in production — `node --require register` — except
 * that a preload compiles the TypeScript sources (for dist: `--require dist/telemetry/register.js`).
 */
const runPreloaded = (script: string, env: NodeJS.ProcessEnv) =>
  run(
    process.execPath,
    [
      '--require',
      path.join(__dirname, 'support/ts-preload.js'),
      '--require',
      path.join(kitRoot, 'src/telemetry/register.ts'),
      path.join(__dirname, script),
    ],
    { env, timeout: 20_000 },
  );

/** This process's environment without telemetry settings that would leak into a child. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^OTEL_|^SERVICE_NAME$/.test(name)) delete env[name];
  return env;
}

describe('register: `node --require` telemetry in a real Node process', () => {
  let collector: OtlpCollector;

  beforeAll(async () => {
    collector = await startOtlpCollector();
  });
  afterAll(() => collector.close());

  it('patches http, pg, graphql and grpc-js loaded after it, exports over OTLP and flushes on exit', async () => {
    const { stdout } = await runPreloaded('support/traced-scenario.ts', {
      ...baseEnv(),
      SERVICE_NAME: 'scenario',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
    });
    const { traceId, patched } = JSON.parse(stdout) as Scenario;
    expect(patched).toEqual({ http: true, pg: true, graphql: true, grpc: true });

    // The child has exited: whatever it exported was flushed by register's 'beforeExit' hook.
    const spans = collector.spans;
    const inTrace = spans.filter((s) => s.traceId === traceId);
    const has = (kind: CollectedSpan['kind'], name: RegExp) =>
      inTrace.some((s) => s.kind === kind && name.test(s.name));
    expect(has('CLIENT', /^GET$/) && has('SERVER', /^GET$/)).toBe(true);
    expect(has('CLIENT', /^pg\.query/)).toBe(true);
    expect(has('INTERNAL', /^graphql\.resolve hello$/)).toBe(true);
    expect(has('CLIENT', /EchoService\/Echo$/) && has('SERVER', /EchoService\/Echo$/)).toBe(true);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['scenario']));
    // Untraced: the /healthz probe, and the pool query made outside any operation. (Building
    // the schema at start-up does make a root span of its own, an INTERNAL one.)
    expect(spans.filter((s) => s.traceId !== traceId && s.kind !== 'INTERNAL')).toEqual([]);
  });

  it('without a collector: pg and graphql are left unpatched, the trace still crosses HTTP and gRPC', async () => {
    const { stdout } = await runPreloaded('support/traced-scenario.ts', {
      ...baseEnv(),
      SERVICE_NAME: 'scenario',
    });
    const { traceId, seenByServers, patched } = JSON.parse(stdout) as Scenario;
    expect(patched).toEqual({ http: true, pg: false, graphql: false, grpc: true });
    expect(traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    expect(seenByServers).toEqual([`http ${traceId}`, `grpc ${traceId}`]);
  });

  it('refuses to start a process that does not say which service it is', async () => {
    await expect(runPreloaded('support/traced-scenario.ts', baseEnv())).rejects.toMatchObject({
      stderr: expect.stringMatching(/OTEL_SERVICE_NAME/),
    });
  });
});
