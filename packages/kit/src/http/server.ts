import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BaseContext } from '@apollo/server';
import type { Logger } from '../logger';
import { BodyError, DEFAULT_BODY_LIMIT_BYTES, parseBody, readBody } from './body';
import { serveGraphQL, type GraphQLEndpoint } from './graphql-endpoint';
import { createMetrics, METRICS_CONTENT_TYPE, type Metrics } from './metrics';

/** Named readiness checks, e.g. `{ database: true, nats: false }`; ready when all are true. */
export type ReadinessChecks = Record<string, boolean>;

export interface HttpServerOptions<TContext extends BaseContext> {
  logger: Logger;
  /** Served at `/graphql` (GET and POST); without it `/graphql` is 404. */
  graphql?: GraphQLEndpoint<TContext>;
  /** Asked on every `/readyz`; a throw counts as not ready. Default: no checks beyond `accepting`. */
  isReady?: () => ReadinessChecks | Promise<ReadinessChecks>;
  /** When given, `/readyz` turns 503 as soon as shutdown starts (the lifecycle's first step). */
  lifecycle?: { isShuttingDown(): boolean };
  /** Registry served at `/metrics`; pass the service's own to add counters and gauges. */
  metrics?: Metrics;
  /** Largest accepted request body (default 1 MiB); more is answered 413. */
  bodyLimitBytes?: number;
}

export interface HttpServer {
  readonly server: Server;
  readonly metrics: Metrics;
  /** Starts the GraphQL server (once), then listens; port 0 picks a free port. Resolves to the bound port. */
  listen(host: string, port: number): Promise<number>;
  /**
   * Stops intake and waits for requests in flight (up to `graceMs`, default 10 s, then cuts the
   * remaining connections), then stops the GraphQL server. Meant as the first lifecycle hook.
   */
  close(graceMs?: number): Promise<void>;
}

const ROUTES = new Set(['/graphql', '/healthz', '/readyz', '/metrics']);

export function createHttpServer<TContext extends BaseContext>(
  options: HttpServerOptions<TContext>,
): HttpServer {
  const { logger, graphql, lifecycle } = options;
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const metrics = options.metrics ?? createMetrics();
  const started = Date.now();
  let closing = false;
  let apolloStarted = false;

  const requests = metrics.counter(
    'http_requests_total',
    'HTTP requests served, by route, method and status',
    ['route', 'method', 'status'],
  );
  metrics.gauge(
    'process_uptime_seconds',
    'Seconds since the HTTP server was created',
    [],
    () => (Date.now() - started) / 1000,
  );
  metrics.gauge(
    'process_resident_memory_bytes',
    'Resident memory size in bytes',
    [],
    () => process.memoryUsage().rss,
  );

  async function readiness(): Promise<{ ready: boolean; checks: ReadinessChecks }> {
    const checks: ReadinessChecks = {
      accepting: !closing && !(lifecycle?.isShuttingDown() ?? false),
    };
    try {
      Object.assign(checks, await options.isReady?.());
    } catch (err) {
      logger.warn({ err }, 'readiness check threw');
      checks.checks = false;
    }
    return { ready: Object.values(checks).every(Boolean), checks };
  }

  async function route(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    search: string,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    const isRead = method === 'GET' || method === 'HEAD';
    if (path === '/healthz' && isRead) return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz' && isRead) {
      const { ready, checks } = await readiness();
      return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
    }
    if (path === '/metrics' && isRead) {
      res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE });
      res.end(await metrics.render());
      return;
    }
    if (path === '/graphql' && graphql && (isRead || method === 'POST')) {
      const body =
        method === 'POST'
          ? parseBody(await readBody(req, bodyLimit), req.headers['content-type'])
          : undefined;
      return serveGraphQL(graphql, req, res, body, search);
    }
    if (ROUTES.has(path) && (path !== '/graphql' || graphql)) {
      res.setHeader('allow', path === '/graphql' ? 'GET, POST' : 'GET, HEAD');
      return sendJson(res, 405, { error: `Method ${method} is not allowed on ${path}` });
    }
    return sendJson(res, 404, { error: `No route for ${path}` });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.on('finish', () => {
      requests.inc({
        route: ROUTES.has(url.pathname) ? url.pathname : 'other',
        method: req.method ?? '',
        status: res.statusCode,
      });
      if (closing) server.closeIdleConnections();
    });
    // While draining, tell keep-alive clients to reconnect elsewhere instead of reusing this socket.
    if (closing) res.setHeader('connection', 'close');
    route(req, res, url.pathname, url.search).catch((err: unknown) => {
      if (err instanceof BodyError) {
        // The rest of an oversized body is not worth reading: answer, then drop the connection.
        res.setHeader('connection', 'close');
        return sendJson(res, err.status, { error: err.message });
      }
      logger.error({ err, path: url.pathname }, 'unhandled error serving HTTP request');
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: 'Internal server error' });
    });
  });

  return {
    server,
    metrics,
    async listen(host, port) {
      if (graphql && !apolloStarted) {
        await graphql.apollo.start();
        apolloStarted = true;
      }
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      return (server.address() as AddressInfo).port;
    },
    async close(graceMs = 10_000) {
      closing = true;
      if (server.listening) {
        const cutOff = setTimeout(() => server.closeAllConnections(), graceMs).unref();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        clearTimeout(cutOff);
      }
      if (apolloStarted) await graphql?.apollo.stop();
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
