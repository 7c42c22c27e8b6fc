import { join } from 'node:path';
import {
  createSubgraph,
  loadTypeDefs,
  type RunningService,
  type ServiceSpec,
  startConsumer,
  startService,
} from '@aftercare/kit';
import { inventoryContext, inventoryResolvers } from './graphql/resolvers';
import { onWorkOrderCompleted } from './app/old-parts';
import { startToolOverdueScheduler } from './app/tools';
import type { InventoryDeps } from './app/deps';
import type { InventoryConfig } from './config';
import { workOrderDirectory } from './grpc/workorder-directory';
import { inventoryEntities } from './db/entities';
import { inventoryMigrations } from './db/migrations';

/**
 * The inventory service so far: catalogue, stock ledger, requisitions against open work orders and
 * old parts from `workorder.completed`, on the kit runner. Transports (gRPC, subgraph), claim
 * orders, issue accuracy and tool lending persistence are the next steps (issue 4).
 */
export const SCHEMA_PATH = join(__dirname, 'graphql', 'schema.graphql');

export function inventorySpec(
  config: InventoryConfig,
  onReady: (deps: InventoryDeps) => void = () => {},
  overrides: Partial<ServiceSpec<InventoryConfig>> = {},
): ServiceSpec<InventoryConfig> {
  return {
    config,
    entities: inventoryEntities,
    migrations: inventoryMigrations,
    async setup({ orm, outbox, lifecycle, nats, logger }) {
      const workOrders = workOrderDirectory(
        config.WORKORDER_GRPC_ADDRESS,
        config.GRPC_CALL_TIMEOUT_MS,
      );
      lifecycle.onShutdown('work-order client', () => workOrders.close());
      const deps: InventoryDeps = {
        orm,
        events: outbox,
        workOrders,
        calendar: config.calendar,
        now: () => new Date(),
      };
      onReady(deps);
      const completed = await startConsumer({
        orm,
        nats,
        logger,
        consumerName: 'inventory-on-workorder-completed',
        streamService: 'workorder',
        subjectPrefix: config.EVENT_SUBJECT_PREFIX,
        eventTypes: ['workorder.completed'],
        handler: onWorkOrderCompleted(logger),
      });
      return {
        graphql: createSubgraph({
          typeDefs: loadTypeDefs(SCHEMA_PATH),
          resolvers: inventoryResolvers(deps),
          context: inventoryContext(deps),
          logger,
        }),
        workers: [
          {
            name: 'workorder.completed consumer',
            stop: () => completed.stop(),
            isReady: () => completed.isReady(),
          },
          ...(config.TOOL_SCHEDULER
            ? [startToolOverdueScheduler(deps, logger, config.TOOL_OVERDUE_SCAN_INTERVAL_MS)]
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
