import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  createErrorFormatter,
  createHttpServer,
  createInternalAuth,
  GATEWAY_SIGNER,
  graphqlObservationPlugin,
  operationChecksPlugin,
  createMetrics,
  type AccessLog,
  type HttpServer,
  type Logger,
  type Metrics,
} from '@aftercare/kit';
import type { GraphQLFormattedError } from 'graphql';
import { Agent } from 'undici';
import {
  isIntrospectionOnly,
  isPublicOnly,
  operationText,
  PUBLIC_ROOT_FIELDS,
  unauthenticatedError,
} from './auth';
import { createAuthenticator } from './authenticate';
import type { GatewayConfig } from './config';
import { IdentityForwardingDataSource, type GatewayContext } from './datasource';
import { DEFAULT_LIMITS, queryLimitsPlugin, withTokenLimitReason } from './limits';
import { corsOptions } from './cors';
import { createRateLimiter } from './rate-limit';

export interface GatewayOptions extends Pick<
  GatewayConfig,
  'jwt' | 'oidc' | 'allowIntrospection' | 'subgraphUrls' | 'rateLimit' | 'signingKey' | 'cors'
> {
  /** Query limits; each one left out is DEFAULT_LIMITS'. */
  limits?: Partial<GatewayConfig['limits']>;
  /** The composed supergraph (gateway/supergraph.graphql); its subgraph URLs are defaults that `subgraphUrls` overrides. */
  supergraphSdl: string;
  logger: Logger;
  /** Makes `/readyz` turn 503 as soon as shutdown starts. */
  lifecycle?: { isShuttingDown(): boolean };
  /** The gateway's registry (served on the admin listener); default: a new one. */
  metrics?: Metrics;
  /** Where the access line of each request goes (default: every request, to `logger`). */
  accessLog?: AccessLog;
  /** Root fields anonymous callers may use (default PUBLIC_ROOT_FIELDS: the survey link). */
  publicRootFields?: Readonly<Record<'query' | 'mutation', readonly string[]>>;
}

export interface Gateway {
  apollo: ApolloServer<GatewayContext>;
  /** `listen(host, port)` starts the gateway; `close()` drains it (register it as a shutdown step). */
  http: HttpServer;
  /**
   * Closes the kept-alive connections to the subgraphs once the requests on them are answered: a
   * shutdown step after `http.close()`, so subgraphs see the gateway leave rather than a
   * connection dropped with the process.
   */
  closeSubgraphConnections(): Promise<void>;
}

/** "Did you mean …?" hints would spell out the schema to anyone who guesses at it. */
const SUGGESTION = / ?Did you mean .+?\?$/;

/**
 * `@apollo/gateway` sends usage metrics of its own to Apollo's servers (an hourly OTLP export over
 * the internet) unless APOLLO_TELEMETRY_DISABLED says not to. Nobody deploying Aftercare asked for
 * that, and where egress is closed it retries over TLS for nothing: off unless an operator sets
 * the variable to `false`. The variable is the library's only switch, read when it is constructed.
 */
function keepUsageDataHome(env: NodeJS.ProcessEnv = process.env): void {
  env.APOLLO_TELEMETRY_DISABLED ??= 'true';
}

/**
 * The public GraphQL endpoint: limits the rate per client address, verifies the caller's bearer
 * JWT (HS256, or an OpenID Connect provider's) and limits the rate per user, refuses anonymous
 * operations (but anonymous introspection when allowed, and operations made only of the public
 * root fields), refuses operations too long,
 * costly, deep or wide, plans over the supergraph and forwards the caller's identity to the
 * subgraphs. `/metrics` is served only on the admin listener (`http.listenAdmin`).
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { logger } = options;
  // The gateway only signs: no other process calls it with an internal identity.
  const auth = createInternalAuth({
    name: GATEWAY_SIGNER,
    signingKey: options.signingKey,
    trustedKeys: new Map(),
  });
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const rateLimiter = options.rateLimit && createRateLimiter(options.rateLimit);
  const formatError = createErrorFormatter(logger);
  const authenticate = createAuthenticator({ jwt: options.jwt, oidc: options.oidc, logger });
  const metrics = options.metrics ?? createMetrics();
  keepUsageDataHome();
  const subgraphConnections = new Agent();
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger,
    buildService: ({ name, url }) => {
      const target = options.subgraphUrls[name] ?? url;
      if (!target) throw new Error(`Subgraph ${name} has no URL in the supergraph and no override`);
      return new IdentityForwardingDataSource(
        name,
        target,
        logger,
        auth,
        metrics,
        subgraphConnections,
      );
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    logger,
    introspection: options.allowIntrospection,
    includeStacktraceInErrorResponses: false,
    // Shutdown belongs to the lifecycle in main.ts, not to Apollo's own signal handlers.
    stopOnTerminationSignals: false,
    parseOptions: { maxTokens: limits.maxTokens },
    // No automatic persisted queries: nothing of ours sends them, and a wrong hash came back as
    // an uncoded error (the fuzz suite). Clients get PERSISTED_QUERY_NOT_SUPPORTED instead.
    persistedQueries: false,
    // Every error passes here, also those of variables and those relayed from subgraphs, so this
    // is where suggestions go (Apollo's own option only covers validation errors).
    formatError: (formatted, error): GraphQLFormattedError => {
      const answer = withTokenLimitReason(formatError(formatted, error), limits.maxTokens);
      return options.allowIntrospection
        ? answer
        : { ...answer, message: answer.message.replace(SUGGESTION, '') };
    },
    plugins: [
      operationChecksPlugin(),
      graphqlObservationPlugin(),
      queryLimitsPlugin(limits),
      ...(options.allowIntrospection ? [] : [ApolloServerPluginLandingPageDisabled()]),
    ],
  });

  const http = createHttpServer<GatewayContext>({
    logger,
    lifecycle: options.lifecycle,
    metrics,
    accessLog: options.accessLog,
    // Preflights are answered before the GraphQL endpoint, so no rate limit counts them.
    cors: options.cors && corsOptions(options.cors),
    graphql: {
      apollo,
      // Runs before parsing and validation, so an anonymous caller learns nothing about the schema.
      // The address is limited first, so guessing at tokens is limited too.
      async context({ req, request }) {
        rateLimiter?.admitAddress(req);
        const identity = await authenticate(request.headers.get('authorization'));
        if (identity) {
          rateLimiter?.admitUser(identity.userId);
          return { identity };
        }
        const operation = operationText(request);
        if (
          options.allowIntrospection &&
          isIntrospectionOnly(operation, { maxTokens: limits.maxTokens })
        )
          return { identity: null };
        // A narrow exception: operations made only of public root fields, which authorise by
        // what the caller presents (a survey link token), not by a login.
        const publicFields = options.publicRootFields ?? PUBLIC_ROOT_FIELDS;
        if (isPublicOnly(operation, publicFields, { maxTokens: limits.maxTokens }))
          return { identity: null };
        throw unauthenticatedError(
          'Authentication required: send "Authorization: Bearer <token>"',
          'UNAUTHENTICATED',
        );
      },
    },
  });
  return { apollo, http, closeSubgraphConnections: () => subgraphConnections.close() };
}
