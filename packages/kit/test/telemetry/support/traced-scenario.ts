// Run in a child process by register.test.ts, preloaded with src/telemetry/register.ts exactly as
// a service is in production: one traced operation over HTTP, PostgreSQL, GraphQL and gRPC, then it ends
// on its own (so register.ts flushes on 'beforeExit'). Prints the operation's trace id, the trace
// ids the HTTP and gRPC servers saw, and which modules the require hook patched.
import { createServer, get, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { Server as GrpcServer } from '@grpc/grpc-js';
import { buildSchema, execute, graphql } from 'graphql';
import { Client, Pool } from 'pg';
import { EchoRequest, echoHandlers, startEcho } from '../../grpc/echo-fixture';

const isPatched = (fn: unknown) => (fn as { __wrapped?: boolean }).__wrapped === true;
const activeTraceId = () => trace.getActiveSpan()?.spanContext().traceId ?? 'none';

const httpGet = (url: string) =>
  new Promise<void>((resolve, reject) =>
    get(url, (res) => res.resume().on('end', resolve)).on('error', reject),
  );

async function main() {
  const seenByServers: string[] = [];
  const server = createServer((req, res) => {
    if (req.url === '/work') seenByServers.push(`http ${activeTraceId()}`);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pool = new Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
  const schema = buildSchema('type Query { hello: String }');
  const echo = await startEcho({
    echo: (request, ctx) => {
      seenByServers.push(`grpc ${activeTraceId()}`);
      return echoHandlers.echo(request, ctx);
    },
  });
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
  const patched = {
    http: isPatched(httpRequest),
    pg: isPatched(Client.prototype.query),
    graphql: isPatched(execute),
    grpc: isPatched(GrpcServer.prototype.register),
  };
  process.stdout.write(JSON.stringify({ traceId, seenByServers, patched }));
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
  process.exitCode = 1;
});
