import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import type { DocumentNode } from 'graphql';
import type { Identity } from '../auth';
import { runWithIdentity } from '../grpc/context';
import type { GraphQLEndpoint, GraphQLRequestInfo } from '../http/graphql-endpoint';
import type { Logger } from '../logger';
import { graphqlObservationPlugin } from '../observability/graphql';
import { enforceAccess } from './access';
import { createErrorFormatter } from './errors';
import { applyInputPolicy } from './input-policy';
import { operationChecksPlugin } from './operation-checks';

/** What every subgraph resolver gets; a service's own context extends it. */
export interface SubgraphContext {
  /** The caller named by the gateway's verified identity token; null when anonymous. */
  identity: Identity | null;
}

export interface SubgraphOptions<TContext extends SubgraphContext> {
  /** The subgraph SDL, usually `loadTypeDefs(<service>/src/graphql/schema.graphql)`. */
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<TContext>;
  logger: Logger;
  /**
   * Builds the per-request context from the base one: fork the MikroORM EntityManager, create
   * the request's DataLoaders. Required whenever TContext adds fields to SubgraphContext.
   */
  context?: (base: SubgraphContext, info: GraphQLRequestInfo) => TContext | Promise<TContext>;
  plugins?: ApolloServerPlugin<TContext>[];
}

/**
 * A federation subgraph, ready for `createHttpServer({ graphql })`.
 *
 * ```ts
 * const subgraph = createSubgraph<Ctx>({
 *   typeDefs: loadTypeDefs(join(__dirname, 'schema.graphql')),
 *   resolvers: {
 *     Query: {
 *       customer: (_, { id }, ctx) => {
 *         requireRole(ctx.identity, 'agent', 'dispatcher', 'auditor'); // AppError → FORBIDDEN/UNAUTHENTICATED
 *         return getCustomer(ctx.em, id);
 *       },
 *     },
 *     Customer: { __resolveReference: (ref, ctx) => ctx.loaders.customer.load(ref.id) }, // batched, no N+1
 *   },
 *   context: (base) => {
 *     const em = orm.em.fork();
 *     return { ...base, em, loaders: { customer: new DataLoader((ids) => customersByIds(em, ids)) } };
 *   },
 *   logger,
 * });
 * ```
 * Every Query and Mutation field declares who may call it with `@access` in the SDL (`access.ts`):
 * those roles are checked before its resolver runs, and a root field without one stops the start.
 * Resolvers run inside `runWithIdentity(identity)`, so gRPC calls they make carry the caller.
 * The caller comes from the endpoint's `authenticate`, which the service runner sets to verify the
 * gateway's signed identity token (ADR 0010); without it every request is anonymous.
 * Every argument passes the input policy before its resolver runs (`applyInputPolicy`).
 */
export function createSubgraph<TContext extends SubgraphContext = SubgraphContext>(
  options: SubgraphOptions<TContext>,
): GraphQLEndpoint<TContext> {
  const schema = buildSubgraphSchema([
    { typeDefs: options.typeDefs, resolvers: options.resolvers },
  ]);
  applyInputPolicy(schema);
  // Wrapped last, so it runs first: a caller without the role learns nothing, not even what input is refused.
  enforceAccess(schema);
  const apollo = new ApolloServer<TContext>({
    schema,
    formatError: createErrorFormatter(options.logger),
    includeStacktraceInErrorResponses: false,
    logger: options.logger,
    // Shutdown belongs to the service's lifecycle (createLifecycle), not to Apollo's own signal handlers.
    stopOnTerminationSignals: false,
    // Inline traces (ftv1) only feed Apollo's hosted usage reporting, which we do not use.
    plugins: [
      operationChecksPlugin<TContext>(),
      graphqlObservationPlugin<TContext>(),
      ApolloServerPluginInlineTraceDisabled(),
      ...(options.plugins ?? []),
    ],
  });
  return {
    apollo,
    async context(info) {
      const base: SubgraphContext = { identity: info.identity };
      // Without a hook TContext is SubgraphContext itself (the option's doc says when it is required).
      return options.context ? options.context(base, info) : (base as TContext);
    },
    runInScope: (info, fn) => runWithIdentity(info.identity, fn),
  };
}
