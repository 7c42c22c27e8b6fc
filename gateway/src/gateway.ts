import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  createErrorFormatter,
  createHttpServer,
  createInternalAuth,
  GATEWAY_SIGNER,
  type HttpServer,
  type Logger,
  type Metrics,
} from '@aftercare/kit';
import {
  identityFromAuthorization,
  isIntrospectionOnly,
  isPublicOnly,
  operationText,
  PUBLIC_ROOT_FIELDS,
  unauthenticatedError,
} from './auth';
import type { GatewayConfig } from './config';
import { IdentityForwardingDataSource, type GatewayContext } from './datasource';
import { queryLimitsPlugin } from './limits';

export interface GatewayOptions extends Pick<
  GatewayConfig,
  'jwt' | 'allowIntrospection' | 'maxQueryDepth' | 'maxQueryCost' | 'subgraphUrls' | 'signingKey'
> {
  /** The composed supergraph (gateway/supergraph.graphql); its subgraph URLs are defaults that `subgraphUrls` overrides. */
  supergraphSdl: string;
  logger: Logger;
  /** Makes `/readyz` turn 503 as soon as shutdown starts. */
  lifecycle?: { isShuttingDown(): boolean };
  metrics?: Metrics;
  /** Root fields anonymous callers may use (default PUBLIC_ROOT_FIELDS: the survey link). */
  publicRootFields?: Readonly<Record<'query' | 'mutation', readonly string[]>>;
}

export interface Gateway {
  apollo: ApolloServer<GatewayContext>;
  /** `listen(host, port)` starts the gateway; `close()` drains it (register it as a shutdown step). */
  http: HttpServer;
}

/**
 * The public GraphQL endpoint: verifies the caller's bearer JWT, refuses anonymous operations
 * (but anonymous introspection when allowed, and operations made only of the public root fields), limits depth and breadth, plans over the
 * supergraph and forwards the caller's identity to the subgraphs.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { logger } = options;
  // The gateway only signs: no other process calls it with an internal identity.
  const auth = createInternalAuth({
    name: GATEWAY_SIGNER,
    signingKey: options.signingKey,
    trustedKeys: new Map(),
  });
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger,
    buildService: ({ name, url }) => {
      const target = options.subgraphUrls[name] ?? url;
      if (!target) throw new Error(`Subgraph ${name} has no URL in the supergraph and no override`);
      return new IdentityForwardingDataSource(name, target, logger, auth);
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    logger,
    introspection: options.allowIntrospection,
    hideSchemaDetailsFromClientErrors: !options.allowIntrospection,
    includeStacktraceInErrorResponses: false,
    // Shutdown belongs to the lifecycle in main.ts, not to Apollo's own signal handlers.
    stopOnTerminationSignals: false,
    formatError: createErrorFormatter(logger),
    plugins: [
      queryLimitsPlugin({ maxDepth: options.maxQueryDepth, maxCost: options.maxQueryCost }),
      ...(options.allowIntrospection ? [] : [ApolloServerPluginLandingPageDisabled()]),
    ],
  });

  const http = createHttpServer<GatewayContext>({
    logger,
    lifecycle: options.lifecycle,
    metrics: options.metrics,
    graphql: {
      apollo,
      // Runs before parsing and validation, so an anonymous caller learns nothing about the schema.
      async context({ request }) {
        const identity = identityFromAuthorization(
          request.headers.get('authorization'),
          options.jwt,
        );
        if (identity) return { identity };
        const operation = operationText(request);
        if (options.allowIntrospection && isIntrospectionOnly(operation)) return { identity: null };
        // A narrow exception: operations made only of public root fields, which authorise by
        // what the caller presents (a survey link token), not by a login.
        if (isPublicOnly(operation, options.publicRootFields ?? PUBLIC_ROOT_FIELDS))
          return { identity: null };
        throw unauthenticatedError(
          'Authentication required: send "Authorization: Bearer <token>"',
          'UNAUTHENTICATED',
        );
      },
    },
  });
  return { apollo, http };
}
