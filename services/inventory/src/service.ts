import { type RunningService, type ServiceSpec, startService } from '@aftercare/kit';
import type { InventoryDeps } from './app/deps';
import type { InventoryConfig } from './config';
import { workOrderDirectory } from './grpc/workorder-directory';
import { inventoryEntities } from './db/entities';
import { inventoryMigrations } from './db/migrations';

/**
 * The inventory service so far: the stock ledger and catalogue use cases on the kit runner.
 * Transports (gRPC, subgraph), requisitions, old parts and tools are the next steps (issue 4).
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
    setup({ orm, outbox, lifecycle }) {
      const workOrders = workOrderDirectory(
        config.WORKORDER_GRPC_ADDRESS,
        config.GRPC_CALL_TIMEOUT_MS,
      );
      lifecycle.onShutdown('work-order client', () => workOrders.close());
      onReady({
        orm,
        events: outbox,
        workOrders,
        calendar: config.calendar,
        now: () => new Date(),
      });
      return {};
    },
    ...overrides,
  };
}

export const startInventoryService = (
  config: InventoryConfig,
  onReady?: (deps: InventoryDeps) => void,
): Promise<RunningService<InventoryConfig>> => startService(inventorySpec(config, onReady));
