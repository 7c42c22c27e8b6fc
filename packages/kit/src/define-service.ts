import type { EntitySchema, MigrationObject } from '@mikro-orm/core';
import type { GraphQLResolverMap } from '@apollo/subgraph';
import type { DocumentNode } from 'graphql';
import type { GraphQLRequestInfo } from './http/graphql-endpoint';
import { deadLetterResolvers } from './graphql/dead-letters';
import { createSubgraph, type SubgraphContext } from './graphql/subgraph';
import type { GrpcServer } from './grpc/server';
import { countPublishedEvents, type EventCounter } from './observability/business';
import { startPeriodicWorker } from './periodic';
import {
  type BaseServiceConfig,
  type RunningService,
  type ServiceRuntime,
  type ServiceSpec,
  startService,
  subscribe,
  type Subscription,
  type Worker,
} from './service';

/** A job a service runs every `intervalMs` (`schedulerSettings(...).of(config)` gives both). */
export interface ScheduledJob {
  name: string;
  enabled: boolean;
  intervalMs: number;
  /** One round; returns how many items it handled (counted and logged). */
  run(): Promise<number>;
}

/**
 * Everything a service is, declared in one place and in the same order in every service: its
 * tables, its dependencies (outbound clients included), the gRPC service, the subgraph, the events
 * it consumes, its schedulers and the events it counts. The kit wires them into `startService`.
 */
export interface ServiceDefinition<C extends BaseServiceConfig, D, Ctx extends SubgraphContext> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entities: EntitySchema<any, any>[];
  migrations: MigrationObject[];
  /** The use cases' dependencies; clients register their own shutdown on `runtime.lifecycle`. */
  deps(runtime: ServiceRuntime<C>): D | Promise<D>;
  /** Adds the gRPC service: `server.addService(<generated definition>, handlers(deps))`. */
  grpc(server: GrpcServer, deps: D): void;
  graphql: {
    typeDefs: DocumentNode;
    resolvers(deps: D): GraphQLResolverMap<Ctx>;
    context(deps: D): (base: SubgraphContext, info: GraphQLRequestInfo) => Ctx | Promise<Ctx>;
    /**
     * This subgraph serves the admin-only `deadLetters` / `replayDeadLetters` fields of the whole
     * graph (declared in its schema): one service only, as federation serves a root field from
     * one subgraph (ADR 0025).
     */
    deadLetters?: boolean;
  };
  subscriptions?(deps: D, runtime: ServiceRuntime<C>): readonly Subscription[];
  schedulers?(deps: D, config: C): readonly ScheduledJob[];
  /** Business counters fed by the events the service publishes (ADR 0021). */
  counters?: readonly EventCounter[];
}

export interface StartOptions<C extends BaseServiceConfig, D> {
  /** Receives the running service's dependencies (tests move its clock: `deps.now = …`). */
  onReady?(deps: D): void;
  /** Replaces parts of the spec (tests: a logger, a short relay poll). */
  overrides?: Partial<ServiceSpec<C>>;
}

export interface DefinedService<C extends BaseServiceConfig, D> {
  spec(config: C, options?: StartOptions<C, D>): ServiceSpec<C>;
  start(config: C, options?: StartOptions<C, D>): Promise<RunningService<C>>;
}

export function defineService<C extends BaseServiceConfig, D, Ctx extends SubgraphContext>(
  definition: ServiceDefinition<C, D, Ctx>,
): DefinedService<C, D> {
  const spec = (config: C, options: StartOptions<C, D> = {}): ServiceSpec<C> => ({
    config,
    entities: definition.entities,
    migrations: definition.migrations,
    async setup(runtime) {
      countPublishedEvents(runtime.metrics, definition.counters ?? []);
      const deps = await definition.deps(runtime);
      options.onReady?.(deps);
      const workers: Worker[] = await subscribe(
        runtime,
        definition.subscriptions?.(deps, runtime) ?? [],
      );
      for (const job of definition.schedulers?.(deps, config) ?? []) {
        if (!job.enabled) continue;
        workers.push(
          startPeriodicWorker(job.name, job.intervalMs, job.run, runtime.logger, runtime.metrics),
        );
      }
      return {
        grpc: (server) => definition.grpc(server, deps),
        graphql: createSubgraph({
          typeDefs: definition.graphql.typeDefs,
          resolvers: withDeadLetters(
            definition.graphql.resolvers(deps),
            definition.graphql.deadLetters
              ? deadLetterResolvers(runtime.nats, config.EVENT_SUBJECT_PREFIX)
              : undefined,
          ),
          context: definition.graphql.context(deps),
          logger: runtime.logger,
        }),
        workers,
      };
    },
    ...options.overrides,
  });
  return { spec, start: (config, options) => startService(spec(config, options)) };
}

/** The service's resolvers with the dead-letter fields added to its Query and Mutation. */
function withDeadLetters<Ctx>(
  own: GraphQLResolverMap<Ctx>,
  deadLetters: GraphQLResolverMap<SubgraphContext> | undefined,
): GraphQLResolverMap<Ctx> {
  if (!deadLetters) return own;
  return {
    ...own,
    Query: { ...own.Query, ...deadLetters.Query },
    Mutation: { ...own.Mutation, ...deadLetters.Mutation },
  } as GraphQLResolverMap<Ctx>;
}
