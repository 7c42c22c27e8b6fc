import { join } from 'node:path';
import { defineService, loadTypeDefs } from '@aftercare/kit';
import { inventoryV1 } from '@aftercare/proto';
import { INVENTORY_COUNTERS } from './business-metrics';
import { type InventoryContext, inventoryContext, inventoryResolvers } from './graphql/resolvers';
import { scanOverdueTools } from './app/tools';
import type { InventoryDeps } from './app/deps';
import { type InventoryConfig, toolScheduler } from './config';
import { workOrderDirectory } from './clients/workorder-directory';
import { subscriptions } from './events/subscriptions';
import { inventoryHandlers } from './grpc/handlers';
import { inventoryEntities } from './db/entities';
import { inventoryMigrations } from './db/migrations';

export const SCHEMA_PATH = join(__dirname, 'graphql', 'schema.graphql');

/**
 * The inventory service (docs/rules.md §3): catalogue, stock ledger, requisitions against open work orders
 * (work-order gRPC), old parts from `workorder.completed`, claim orders, issue accuracy, tool
 * lending and counts; a subgraph for staff and a gRPC API for the other services.
 */
export const inventoryService = defineService<InventoryConfig, InventoryDeps, InventoryContext>({
  entities: inventoryEntities,
  migrations: inventoryMigrations,
  deps(runtime) {
    const { config, orm, outbox } = runtime;
    return {
      orm,
      events: outbox,
      workOrders: workOrderDirectory(runtime),
      calendar: config.calendar,
      largeClaimFen: config.CLAIM_LARGE_AMOUNT_FEN,
      now: () => new Date(),
    };
  },
  grpc: (server, deps) =>
    server.addService(inventoryV1.InventoryServiceService, inventoryHandlers(deps)),
  graphql: {
    typeDefs: loadTypeDefs(SCHEMA_PATH),
    resolvers: inventoryResolvers,
    context: inventoryContext,
  },
  subscriptions,
  schedulers: (deps, config) => [
    {
      name: 'tool overdue scheduler',
      ...toolScheduler.of(config),
      run: () => scanOverdueTools(deps),
    },
  ],
  counters: INVENTORY_COUNTERS,
});

export const inventorySpec = inventoryService.spec;
export const startInventoryService = inventoryService.start;
