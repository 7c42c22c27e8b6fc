// Run in a child process by register.test.ts, preloaded with src/telemetry/register.ts exactly as
// a service is in production: one traced operation over HTTP, PostgreSQL, GraphQL and gRPC, then it ends
// on its own (so register.ts flushes on 'beforeExit'). Prints the operation's trace id.
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { buildSchema, graphql } from 'graphql';
import { Pool } from 'pg';
import { EchoRequest, startEcho } from '../../grpc/echo-fixture';

const httpGet = (url: string) =>
  new Promise<void>((resolve, reject) =>
    get(url, (res) => res.resume().on('end', resolve)).on('error', reject),
  );

async function main() {
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pool = new Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
  const schema = buildSchema('type Query { hello: String }');
  const echo = await startEcho();
  const client = echo.client();

  await pool.query('SELECT 1 AS untraced'); // no parent span: requireParentSpan skips it
  await httpGet(`${base}/healthz`);
  const traceId = await trace.getTracer('scenario').startActiveSpan('scenario', async (span) => {
    await httpGet(`${base}/work`);
    await pool.query('SELECT 2 AS traced');
    await graphql({ schema, source: '{ hello }', rootValue: { hello: () => 'hi' } });
    await client.echo(EchoRequest.fromPartial({ message: 'hi' }));
    span.end();
    return span.spanContext().traceId;
  });

  await echo.close();
  await pool.end();
  server.close();
  process.stdout.write(JSON.stringify({ traceId }));
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
  process.exitCode = 1;
});
