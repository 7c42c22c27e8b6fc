// Must stay the first import: it starts telemetry, so requests run inside spans.
import { telemetry } from '../telemetry/support/in-memory-telemetry';
import { Writable } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import {
  EchoServiceClient,
  EchoServiceService,
} from '@aftercare/proto/gen/aftercare/testing/v1/echo';
import { healthV1 } from '@aftercare/proto';
import { credentials, Metadata } from '@grpc/grpc-js';
import { createGrpcClient, createGrpcServer, type GrpcServer } from '../../src/grpc';
import { createHttpServer, type HttpServer } from '../../src/http';
import { createLogger } from '../../src/logger';
import { createAccessLog, createMetrics, graphqlObservationPlugin } from '../../src/observability';
import { authAs } from '../internal-auth/support';
import { echoHandlers, EchoRequest } from '../grpc/echo-fixture';

/** A logger at info whose JSON lines the test reads back. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger('access-test', 'info', stream);
  return { logger, access: () => lines.filter((l) => l.msg === 'access') };
}

const typeDefs = `type Query { hello: String, broken: String }`;
const resolvers = {
  Query: {
    hello: () => 'world',
    broken: () => {
      throw new Error('boom');
    },
  },
};

function endpoint(userId: string | null) {
  const apollo = new ApolloServer({ typeDefs, resolvers, plugins: [graphqlObservationPlugin()] });
  return {
    apollo,
    authenticate: async () => (userId ? { userId, roles: [] } : null),
    context: async () => ({ identity: userId ? { userId, roles: [] } : null }),
  };
}

const post = (base: string, query: string) =>
  fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });

afterAll(() => telemetry.shutdown());

describe('GraphQL access lines (issue 14)', () => {
  let server: HttpServer;
  afterEach(() => server?.close(100));

  it('writes one line per request with trace and span ids, operation, status, duration and the user id only', async () => {
    const { logger, access } = capturedLogger();
    server = createHttpServer({ logger, graphql: endpoint('u-42'), metrics: createMetrics() });
    const base = `http://127.0.0.1:${await server.listen('127.0.0.1', 0)}`;
    expect((await post(base, 'query Greeting { hello }')).status).toBe(200);

    const lines = access();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'access-test',
      component: 'access',
      protocol: 'graphql',
      operation: 'Greeting',
      operation_type: 'query',
      status: 200,
      user_id: 'u-42',
      trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      duration_ms: expect.any(Number),
    });
    expect(lines[0]).not.toHaveProperty('error_code');
  });

  it('with a sample ratio of 0 writes no successful request but every failed one, with its code', async () => {
    const { logger, access } = capturedLogger();
    server = createHttpServer({
      logger,
      graphql: endpoint(null),
      metrics: createMetrics(),
      accessLog: createAccessLog(logger, 0),
    });
    const base = `http://127.0.0.1:${await server.listen('127.0.0.1', 0)}`;
    for (let i = 0; i < 5; i++) await post(base, '{ hello }');
    await post(base, 'query Broken { broken }');
    await post(base, '{ nosuchfield }');

    expect(access()).toEqual([
      expect.objectContaining({
        operation: 'Broken',
        error_code: 'INTERNAL_SERVER_ERROR',
        user_id: null,
      }),
      expect.objectContaining({ operation: 'anonymous', error_code: 'GRAPHQL_VALIDATION_FAILED' }),
    ]);
  });

  it('does not log probes or scrapes', async () => {
    const { logger, access } = capturedLogger();
    server = createHttpServer({ logger, graphql: endpoint('u-1'), metrics: createMetrics() });
    const base = `http://127.0.0.1:${await server.listen('127.0.0.1', 0)}`;
    const admin = `http://127.0.0.1:${await server.listenAdmin('127.0.0.1', 0)}`;
    for (const url of [`${base}/healthz`, `${base}/readyz`, `${admin}/metrics`, `${admin}/readyz`])
      expect((await fetch(url)).status).toBe(200);
    expect(access()).toEqual([]);
  });
});

describe('gRPC access lines (issue 14)', () => {
  let server: GrpcServer;
  let address: string;
  const { logger, access } = capturedLogger();

  beforeAll(async () => {
    server = createGrpcServer({
      logger,
      auth: authAs('testing'),
      audience: 'testing',
      metrics: createMetrics(),
      accessLog: createAccessLog(logger),
    });
    server.addService(EchoServiceService, echoHandlers);
    address = `127.0.0.1:${await server.listen('127.0.0.1', 0)}`;
    server.health.setAll('SERVING');
  });
  afterAll(() => server.shutdown(1000));

  it('writes one line per call with method, status code, duration, user id and trace ids; health checks are not logged', async () => {
    const client = createGrpcClient(EchoServiceClient, address, {
      auth: authAs('caller'),
      identity: { userId: 'u-7', roles: ['agent'] },
    });
    await client.echo(EchoRequest.fromPartial({ message: 'hi' }));
    await expect(
      client.echo(EchoRequest.fromPartial({ failWithCode: 'NOT_FOUND' })),
    ).rejects.toThrow();
    client.close();
    const health = new healthV1.HealthClient(address, credentials.createInsecure());
    await new Promise((resolve, reject) =>
      health.check(healthV1.HealthCheckRequest.fromPartial({}), new Metadata(), (err, res) =>
        err ? reject(err) : resolve(res),
      ),
    );
    health.close();

    const lines = access();
    expect(lines).toEqual([
      expect.objectContaining({
        protocol: 'grpc',
        operation: '/aftercare.testing.v1.EchoService/Echo',
        status: 'OK',
        user_id: 'u-7',
        trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
        duration_ms: expect.any(Number),
      }),
      expect.objectContaining({ status: 'NOT_FOUND', user_id: 'u-7' }),
    ]);
  });
});
