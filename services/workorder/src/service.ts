import { join } from 'node:path';
import {
  countPublishedEvents,
  createSubgraph,
  loadTypeDefs,
  type RunningService,
  type ServiceSpec,
  startService,
} from '@aftercare/kit';
import { WORKORDER_COUNTERS } from './business-metrics';
import { workorderV1 } from '@aftercare/proto';
import type { WorkOrderDeps } from './app/deps';
import { startSlaScheduler } from './app/sla-scan';
import type { WorkOrderConfig } from './config';
import { workOrderEntities } from './db/entities';
import { workOrderMigrations } from './db/migrations';
import {
  DEFAULT_DISCOUNT_AUTHORITY,
  DEFAULT_FAULT_CATEGORIES,
  parseFaultCategories,
} from './domain';
import { workOrderContext, workOrderResolvers } from './graphql/resolvers';
import { customerDirectory } from './grpc/customer-directory';
import { workOrderHandlers } from './grpc/handlers';

export const SCHEMA_PATH = join(__dirname, 'graphql', 'schema.graphql');

/** `onReady` receives the running service's dependencies (tests move its clock: `deps.now = …`). */
export function workOrderSpec(
  config: WorkOrderConfig,
  overrides: Partial<ServiceSpec<WorkOrderConfig>> = {},
  onReady: (deps: WorkOrderDeps) => void = () => {},
): ServiceSpec<WorkOrderConfig> {
  const categories = config.FAULT_CATEGORIES
    ? parseFaultCategories(config.FAULT_CATEGORIES.split(','), 'FAULT_CATEGORIES')
    : [...DEFAULT_FAULT_CATEGORIES];
  return {
    config,
    entities: workOrderEntities,
    migrations: workOrderMigrations,
    setup(runtime) {
      const { orm, outbox, logger, lifecycle, calls } = runtime;
      countPublishedEvents(runtime.metrics, WORKORDER_COUNTERS);
      const customers = customerDirectory(
        config.CUSTOMER_GRPC_ADDRESS,
        config.GRPC_CALL_TIMEOUT_MS,
        calls,
      );
      lifecycle.onShutdown('customer client', () => customers.close());
      const deps: WorkOrderDeps = {
        orm,
        events: outbox,
        customers,
        calendar: config.calendar,
        now: () => new Date(),
        categories,
        repeatWindowDays: config.REPEAT_REPAIR_WINDOW_DAYS,
        discountAuthority: DEFAULT_DISCOUNT_AUTHORITY,
        timelinessTarget: config.SERVICE_TIMELINESS_TARGET,
        defaultStation: config.DEFAULT_STATION_CODE ?? null,
      };
      onReady(deps);
      return {
        grpc: (server) =>
          server.addService(workorderV1.WorkOrderServiceService, workOrderHandlers(deps)),
        graphql: createSubgraph({
          typeDefs: loadTypeDefs(SCHEMA_PATH),
          resolvers: workOrderResolvers(deps),
          context: workOrderContext(deps),
          logger,
        }),
        workers: config.SLA_SCHEDULER
          ? [startSlaScheduler(deps, logger, config.SLA_SCAN_INTERVAL_MS, runtime.metrics)]
          : [],
      };
    },
    ...overrides,
  };
}

export const startWorkOrderService = (
  config: WorkOrderConfig,
  overrides?: Partial<ServiceSpec<WorkOrderConfig>>,
  onReady?: (deps: WorkOrderDeps) => void,
): Promise<RunningService<WorkOrderConfig>> =>
  startService(workOrderSpec(config, overrides, onReady));
