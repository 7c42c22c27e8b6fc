import { join } from 'node:path';
import {
  countPublishedEvents,
  createSubgraph,
  loadTypeDefs,
  type RunningService,
  type ServiceSpec,
  startService,
  subscribe,
  subscription,
} from '@aftercare/kit';
import { events } from '@aftercare/events';
import { INVENTORY_COUNTERS } from './business-metrics';
import { inventoryV1 } from '@aftercare/proto';
import { inventoryContext, inventoryResolvers } from './graphql/resolvers';
import { onWorkOrderCompleted } from './app/old-parts';
import { startToolOverdueScheduler } from './app/tools';
import type { InventoryDeps } from './app/deps';
import type { InventoryConfig } from './config';
import { workOrderDirectory } from './grpc/workorder-directory';
import { inventoryHandlers } from './grpc/handlers';
import { inventoryEntities } from './db/entities';
import { inventoryMigrations } from './db/migrations';

export const SCHEMA_PATH = join(__dirname, 'graphql', 'schema.graphql');

/**
 * The inventory service (docs/rules.md §3): catalogue, stock ledger, requisitions against open work orders
 * (work-order gRPC), old parts from `workorder.completed`, claim orders, issue accuracy, tool
 * lending and counts; a subgraph for staff and a gRPC API for the other services.
 */
export function inventorySpec(
  config: InventoryConfig,
  onReady: (deps: InventoryDeps) => void = () => {},
  overrides: Partial<ServiceSpec<InventoryConfig>> = {},
): ServiceSpec<InventoryConfig> {
  return {
    config,
    entities: inventoryEntities,
    migrations: inventoryMigrations,
    async setup(runtime) {
      countPublishedEvents(runtime.metrics, INVENTORY_COUNTERS);
      const { orm, outbox, lifecycle, logger, calls } = runtime;
      const workOrders = workOrderDirectory(
        config.WORKORDER_GRPC_ADDRESS,
        config.GRPC_CALL_TIMEOUT_MS,
        calls,
      );
      lifecycle.onShutdown('work-order client', () => workOrders.close());
      const deps: InventoryDeps = {
        orm,
        events: outbox,
        workOrders,
        calendar: config.calendar,
        largeClaimFen: config.CLAIM_LARGE_AMOUNT_FEN,
        now: () => new Date(),
      };
      onReady(deps);
      const consumers = await subscribe(runtime, [
        subscription({
          consumerName: 'inventory-on-workorder-completed',
          events: [events.workorder.completed],
          handler: onWorkOrderCompleted(logger),
        }),
      ]);
      return {
        grpc: (server) =>
          server.addService(inventoryV1.InventoryServiceService, inventoryHandlers(deps)),
        graphql: createSubgraph({
          typeDefs: loadTypeDefs(SCHEMA_PATH),
          resolvers: inventoryResolvers(deps),
          context: inventoryContext(deps),
          logger,
        }),
        workers: [
          ...consumers,
          ...(config.TOOL_SCHEDULER
            ? [
                startToolOverdueScheduler(
                  deps,
                  logger,
                  config.TOOL_OVERDUE_SCAN_INTERVAL_MS,
                  runtime.metrics,
                ),
              ]
            : []),
        ],
      };
    },
    ...overrides,
  };
}

export const startInventoryService = (
  config: InventoryConfig,
  onReady?: (deps: InventoryDeps) => void,
): Promise<RunningService<InventoryConfig>> => startService(inventorySpec(config, onReady));
