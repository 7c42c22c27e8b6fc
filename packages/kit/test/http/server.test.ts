import { request } from 'node:http';
import { connect } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { createHttpServer, type HttpServer } from '../../src/http';
import { createLogger } from '../../src/logger';
import { createMetrics } from '../../src/observability';

const logger = createLogger('kit-test', 'silent');

async function started(server: HttpServer): Promise<string> {
  const port = await server.listen('127.0.0.1', 0);
  return `http://127.0.0.1:${port}`;
}

describe('createHttpServer', () => {
  let server: HttpServer;
  afterEach(() => server.close(1000));

  it("issue 12: a keep-alive connection idle longer than Node's default 5 s still serves its next request", async () => {
    server = createHttpServer({ logger });
    const port = await server.listen('127.0.0.1', 0);
    const socket = connect(port, '127.0.0.1');
    const received: string[] = [];
    socket.setEncoding('utf8').on('data', (chunk: string) => received.push(chunk));
    const ask = async () => {
      received.length = 0;
      socket.write('GET /healthz HTTP/1.1\r\nHost: subgraph\r\nConnection: keep-alive\r\n\r\n');
      for (let waited = 0; !received.join('').includes('"ok"') && waited < 2000; waited += 20)
        await new Promise((r) => setTimeout(r, 20));
      return received.join('');
    };
    try {
      const first = await ask();
      expect(first).toMatch(/^HTTP\/1\.1 200/);
      // What the gateway's agent is told: it drops the idle socket a second before the server would.
      expect(first.toLowerCase()).toContain('keep-alive: timeout=65');
      // Past Node's default (5 s + its 1 s buffer), when the server would have closed this socket.
      await new Promise((r) => setTimeout(r, 6_500));
      expect(socket.destroyed).toBe(false);
      expect(await ask()).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      socket.destroy();
    }
  }, 15_000);

  it('answers /healthz while the process is alive and 404 for unknown paths', async () => {
    server = createHttpServer({ logger });
    const base = await started(server);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/graphql`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('answers /readyz 200 only while every check passes, listing the checks', async () => {
    let database = false;
    server = createHttpServer({ logger, isReady: () => ({ database, nats: true }) });
    const base = await started(server);

    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({
      status: 'not ready',
      checks: { accepting: true, database: false, nats: true },
    });

    database = true;
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { accepting: true, database: true, nats: true },
    });
  });

  it('turns not ready as soon as the lifecycle starts shutting down, and when a check throws', async () => {
    let shuttingDown = false;
    let broken = false;
    server = createHttpServer({
      logger,
      lifecycle: { isShuttingDown: () => shuttingDown },
      isReady: () => {
        if (broken) throw new Error('pool gone');
        return {};
      },
    });
    const base = await started(server);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    shuttingDown = true;
    const draining = await fetch(`${base}/readyz`);
    expect(draining.status).toBe(503);
    expect(((await draining.json()) as { checks: Record<string, boolean> }).checks.accepting).toBe(
      false,
    );
    shuttingDown = false;
    broken = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
  });

  it('serves Prometheus text on the admin listener with runtime metrics, request latency by route, method and status, and service metrics', async () => {
    const metrics = createMetrics();
    const published = metrics.counter({
      name: 'aftercare_events_published_total',
      help: 'Events published',
      labelNames: ['stream'],
    });
    metrics.gauge({
      name: 'aftercare_outbox_pending',
      help: 'Outbox rows waiting',
      collect() {
        this.set(7);
      },
    });
    published.inc({ stream: 'AFTERCARE_CUSTOMER' }, 3);
    server = createHttpServer({ logger, metrics });
    const base = await started(server);
    const admin = `http://127.0.0.1:${await server.listenAdmin('127.0.0.1', 0)}`;
    await fetch(`${base}/healthz`);
    await fetch(`${base}/healthz`);
    await fetch(`${base}/missing`);

    const res = await fetch(`${admin}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE process_start_time_seconds gauge');
    expect(text).toContain('# TYPE nodejs_eventloop_lag_p99_seconds gauge');
    expect(text).toContain('# TYPE http_server_request_duration_seconds histogram');
    expect(text).toContain(
      'http_server_request_duration_seconds_count{http_route="/healthz",http_request_method="GET",http_response_status_code="200"} 2',
    );
    expect(text).toContain(
      'http_server_request_duration_seconds_count{http_route="other",http_request_method="GET",http_response_status_code="404"} 1',
    );
    expect(text).toContain('aftercare_events_published_total{stream="AFTERCARE_CUSTOMER"} 3');
    expect(text).toContain('aftercare_outbox_pending 7');
  });

  it('refuses a body over the limit with 413', async () => {
    server = createHttpServer({ logger, bodyLimitBytes: 1024, graphql: tinyEndpoint() });
    const port = await server.listen('127.0.0.1', 0);
    const body = JSON.stringify({ query: `{ hello } # ${'x'.repeat(4096)}` });

    const declared = await post(port, body, { 'content-length': String(Buffer.byteLength(body)) });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toEqual({
      errors: [
        {
          message: 'Request body exceeds the limit of 1024 bytes',
          extensions: { code: 'BAD_REQUEST', reason: 'BODY_TOO_LARGE' },
        },
      ],
    });

    const chunked = await post(port, body, { 'transfer-encoding': 'chunked' });
    expect(chunked.status).toBe(413);

    const small = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hello }' }),
    });
    expect(await small.json()).toEqual({ data: { hello: 'world' } });
  });

  it('answers 400 with a GraphQL error body for a JSON body that does not parse', async () => {
    server = createHttpServer({ logger, graphql: tinyEndpoint() });
    const base = await started(server);
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      errors: [
        {
          message: 'Request body is not valid JSON',
          extensions: { code: 'BAD_REQUEST', reason: 'INVALID_JSON' },
        },
      ],
    });
  });

  it('issue 13: answers OPTIONS on /graphql 204 with Allow and, without CORS options, no CORS header', async () => {
    server = createHttpServer({ logger, graphql: tinyEndpoint() });
    const base = await started(server);
    const res = await fetch(`${base}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('GET, POST, OPTIONS');
    expect([...res.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('issue 13: with CORS options, answers the preflight of an allowed origin and marks its requests', async () => {
    server = createHttpServer({
      logger,
      graphql: tinyEndpoint(),
      cors: { origin: ['https://app.example.com'], methods: ['GET', 'POST'], maxAge: 60 },
    });
    const base = await started(server);
    const preflight = await fetch(`${base}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-max-age')).toBe('60');
    const other = await fetch(`${base}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://other.example.com', 'access-control-request-method': 'POST' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const broken = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { origin: 'https://app.example.com', 'content-type': 'application/json' },
      body: '{',
    });
    expect(broken.status).toBe(400);
    expect(broken.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });

  it('issue 11: answers another method on /graphql with 405, Allow and a GraphQL error body', async () => {
    server = createHttpServer({ logger, graphql: tinyEndpoint() });
    const base = await started(server);
    const res = await fetch(`${base}/graphql`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST, OPTIONS');
    expect(await res.json()).toEqual({
      errors: [
        {
          message: 'Method DELETE is not allowed on /graphql; use POST (or GET for queries)',
          extensions: { code: 'BAD_REQUEST', reason: 'METHOD_NOT_ALLOWED' },
        },
      ],
    });
  });

  it('issue 11: keeps /metrics off the public port; the admin port serves metrics and probes but never GraphQL', async () => {
    server = createHttpServer({ logger, graphql: tinyEndpoint() });
    const base = await started(server);
    const admin = `http://127.0.0.1:${await server.listenAdmin('127.0.0.1', 0)}`;
    const publicMetrics = await fetch(`${base}/metrics`);
    expect(publicMetrics.status).toBe(404);
    expect(await publicMetrics.json()).toEqual({ error: 'No route for /metrics' });
    expect((await fetch(`${admin}/metrics`)).status).toBe(200);
    expect((await fetch(`${admin}/healthz`)).status).toBe(200);
    expect((await fetch(`${admin}/readyz`)).status).toBe(200);
    expect((await fetch(`${admin}/metrics`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${admin}/graphql?query=%7Bhello%7D`)).status).toBe(404);
    expect(
      (
        await fetch(`${base}/graphql?query=%7Bhello%7D`, {
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(200);
  });

  it('close() lets a request in flight finish, then refuses new connections', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server = createHttpServer({ logger, graphql: tinyEndpoint(() => gate) });
    const base = await started(server);
    const inFlight = fetch(`${base}/graphql?query=%7Bhello%7D`, {
      headers: { 'content-type': 'application/json' },
    });
    await new Promise((r) => setTimeout(r, 50));
    const closed = server.close(5000);
    release();
    expect(await (await inFlight).json()).toEqual({ data: { hello: 'world' } });
    await closed;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('close() stops the admin listener too', async () => {
    server = createHttpServer({ logger });
    await started(server);
    const admin = `http://127.0.0.1:${await server.listenAdmin('127.0.0.1', 0)}`;
    expect((await fetch(`${admin}/healthz`)).status).toBe(200);
    await server.close(1000);
    await expect(fetch(`${admin}/healthz`)).rejects.toThrow();
  });
});

function tinyEndpoint(beforeAnswer: () => Promise<void> = async () => undefined) {
  const apollo = new ApolloServer({
    typeDefs: 'type Query { hello: String }',
    resolvers: { Query: { hello: async () => (await beforeAnswer(), 'world') } },
  });
  return { apollo, context: async () => ({}) };
}

function post(
  port: number,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    // The server may hang up before the whole body is sent; the answer has arrived by then.
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
    });
    req.end(body);
  });
}
