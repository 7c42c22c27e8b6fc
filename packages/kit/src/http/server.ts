import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BaseContext } from '@apollo/server';
import cors, { type CorsOptions } from 'cors';
import type { Logger } from '../logger';
import { BodyError, DEFAULT_BODY_LIMIT_BYTES, parseBody, readBody } from './body';
import { serveGraphQL, type GraphQLEndpoint } from './graphql-endpoint';
import { createAccessLog, type AccessLog } from '../observability/access-log';
import { graphqlServerDuration, httpServerDuration } from '../observability/instruments';
import { createMetrics, secondsSince, type Metrics } from '../observability/registry';

export type { CorsOptions };

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
  /** Registry served at the admin listener's `/metrics`; pass the service's own to add counters and gauges. */
  metrics?: Metrics;
  /** Where each GraphQL request's access line goes (default: every request, to `logger`). */
  accessLog?: AccessLog;
  /** Largest accepted request body (default 1 MiB); more is answered 413. */
  bodyLimitBytes?: number;
  /**
   * Cross-origin access to `/graphql` for browsers (the `cors` package's options): preflights are
   * answered by it, and its headers go on every answer, refusals included, so a browser app can
   * read a 401 or a 429's `Retry-After`. Without it no CORS header is ever sent.
   */
  cors?: CorsOptions;
}

export interface HttpServer {
  /** The public listener: `/graphql`, `/healthz`, `/readyz`. */
  readonly server: Server;
  /** The admin listener: `/metrics`, `/healthz`, `/readyz`; never `/graphql`. */
  readonly adminServer: Server;
  readonly metrics: Metrics;
  /** Starts the GraphQL server (once), then listens; port 0 picks a free port. Resolves to the bound port. */
  listen(host: string, port: number): Promise<number>;
  /** Starts the admin listener; port 0 picks a free port. Resolves to the bound port. */
  listenAdmin(host: string, port: number): Promise<number>;
  /**
   * Stops intake on both listeners and waits for requests in flight (up to `graceMs`, default
   * 10 s, then cuts the remaining connections), then stops the GraphQL server. Meant as the first
   * lifecycle hook.
   */
  close(graceMs?: number): Promise<void>;
}

type Listener = 'public' | 'admin';

/** Any other method is labelled `_OTHER` (the OpenTelemetry convention), keeping the label bounded. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

/**
 * What each listener serves. Metrics stay off the public port: they tell an outsider the traffic,
 * the error rates and the internals of the service. Probes are on both, so a deployment may point
 * them at either.
 */
const ROUTES: Record<Listener, ReadonlySet<string>> = {
  public: new Set(['/graphql', '/healthz', '/readyz']),
  admin: new Set(['/metrics', '/healthz', '/readyz']),
};

export function createHttpServer<TContext extends BaseContext>(
  options: HttpServerOptions<TContext>,
): HttpServer {
  const { logger, graphql, lifecycle } = options;
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const metrics = options.metrics ?? createMetrics();
  const corsHeaders = options.cors && cors({ ...options.cors, preflightContinue: false });
  const accessLog = options.accessLog ?? createAccessLog(logger);
  let closing = false;
  let apolloStarted = false;

  const requests = httpServerDuration(metrics);
  // Created now, so dashboards and alerts find the family before the first request.
  if (graphql) graphqlServerDuration(metrics);

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

  const serves = (listener: Listener, path: string) =>
    ROUTES[listener].has(path) && (path !== '/graphql' || graphql !== undefined);

  async function route(
    listener: Listener,
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    search: string,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    const isRead = method === 'GET' || method === 'HEAD';
    if (!serves(listener, path)) return sendJson(res, 404, { error: `No route for ${path}` });
    if (path === '/graphql' && graphql) {
      if (method === 'OPTIONS' && !corsHeaders) {
        // Answered rather than 405: a browser then reports the missing CORS headers, which is
        // the actual cause, instead of a method error.
        res.setHeader('allow', ALLOWED_GRAPHQL_METHODS);
        res.writeHead(204).end();
        return;
      }
      // Ends a preflight itself; on other requests it only adds its headers.
      if (corsHeaders && (await withMiddleware(corsHeaders, req, res)) === 'answered') return;
      if (!isRead && method !== 'POST') {
        res.setHeader('allow', ALLOWED_GRAPHQL_METHODS);
        return sendGraphQLError(
          res,
          405,
          `Method ${method} is not allowed on ${path}; use POST (or GET for queries)`,
          'METHOD_NOT_ALLOWED',
        );
      }
      const body =
        method === 'POST'
          ? parseBody(await readBody(req, bodyLimit), req.headers['content-type'])
          : undefined;
      return serveGraphQL(graphql, req, res, body, search, { metrics, accessLog });
    }
    if (!isRead) {
      res.setHeader('allow', 'GET, HEAD');
      return sendJson(res, 405, { error: `Method ${method} is not allowed on ${path}` });
    }
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      const { ready, checks } = await readiness();
      return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
    }
    res.writeHead(200, { 'content-type': metrics.contentType });
    res.end(await metrics.render());
  }

  const listenerServer = (listener: Listener): Server => {
    const server = createServer(KEEP_ALIVE, (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const start = performance.now();
      res.on('finish', () => {
        requests.observe(
          {
            http_route: serves(listener, url.pathname) ? url.pathname : 'other',
            http_request_method: KNOWN_METHODS.has(req.method ?? '') ? req.method : '_OTHER',
            http_response_status_code: res.statusCode,
          },
          secondsSince(start),
        );
        if (closing) server.closeIdleConnections();
      });
      // While draining, tell keep-alive clients to reconnect elsewhere instead of reusing this socket.
      if (closing) res.setHeader('connection', 'close');
      route(listener, req, res, url.pathname, url.search).catch((err: unknown) => {
        if (err instanceof BodyError) {
          // The rest of an oversized body is not worth reading: answer, then drop the connection.
          res.setHeader('connection', 'close');
          return sendGraphQLError(res, err.status, err.message, err.reason);
        }
        logger.error({ err, path: url.pathname }, 'unhandled error serving HTTP request');
        if (res.headersSent) res.destroy();
        else sendJson(res, 500, { error: 'Internal server error' });
      });
    });
    return server;
  };
  const server = listenerServer('public');
  const adminServer = listenerServer('admin');

  return {
    server,
    adminServer,
    metrics,
    async listen(host, port) {
      if (graphql && !apolloStarted) {
        await graphql.apollo.start();
        apolloStarted = true;
      }
      return listenOn(server, host, port);
    },
    listenAdmin: (host, port) => listenOn(adminServer, host, port),
    async close(graceMs = 10_000) {
      closing = true;
      await Promise.all([drain(server, graceMs), drain(adminServer, graceMs)]);
      if (apolloStarted) await graphql?.apollo.stop();
    },
  };
}

const ALLOWED_GRAPHQL_METHODS = 'GET, POST, OPTIONS';

/**
 * Idle keep-alive connections (the gateway's to its subgraphs, a load balancer's) stay open 65 s,
 * longer than the 60 s idle timeout of common load balancers, so the client, not the server, ends
 * an idle connection. Clients are told 65 s (`Keep-Alive: timeout=65`; Node's agent drops a socket
 * 1 s before that) and the server waits 15 s more: a client whose timers run late (a busy event
 * loop) still never sends on a socket this server is closing, the ECONNRESET of issue 12.
 */
const KEEP_ALIVE = { keepAliveTimeout: 65_000, keepAliveTimeoutBuffer: 15_000 } as const;

type Middleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

/** Runs a connect-style middleware: 'next' when it passed the request on, 'answered' when it ended it. */
function withMiddleware(
  middleware: Middleware,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<'next' | 'answered'> {
  return new Promise((resolve, reject) => {
    res.once('close', () => resolve('answered'));
    middleware(req, res, (err) => (err ? reject(err) : resolve('next')));
    if (res.writableEnded) resolve('answered');
  });
}

async function listenOn(server: Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

async function drain(server: Server, graceMs: number): Promise<void> {
  if (!server.listening) return;
  const cutOff = setTimeout(() => server.closeAllConnections(), graceMs).unref();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  clearTimeout(cutOff);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * A request refused before it reaches Apollo, answered the way Apollo answers its own request
 * errors (`BAD_REQUEST`), so GraphQL clients read every refusal from `errors[0].extensions`.
 */
function sendGraphQLError(
  res: ServerResponse,
  status: number,
  message: string,
  reason: string,
): void {
  sendJson(res, status, { errors: [{ message, extensions: { code: 'BAD_REQUEST', reason } }] });
}
