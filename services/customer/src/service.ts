import { join } from 'node:path';
import {
  createSubgraph,
  loadTypeDefs,
  type RunningService,
  type ServiceSpec,
  startService,
  subscribe,
} from '@aftercare/kit';
import { customerV1 } from '@aftercare/proto';
import { archiveSubscriptions, startArchiveScheduler } from './app/archive';
import { contactLogSubscriptions } from './app/contact-consumers';
import type { CustomerDeps } from './app/deps';
import type { CustomerConfig } from './config';
import { customerEntities } from './db/entities';
import { customerMigrations } from './db/migrations';
import { customerContext, customerResolvers } from './graphql/resolvers';
import { customerHandlers } from './grpc/handlers';

export const SCHEMA_PATH = join(__dirname, 'graphql', 'schema.graphql');

export function customerSpec(
  config: CustomerConfig,
  overrides: Partial<ServiceSpec<CustomerConfig>> = {},
): ServiceSpec<CustomerConfig> {
  return {
    config,
    entities: customerEntities,
    migrations: customerMigrations,
    async setup(runtime) {
      const { orm, outbox, logger } = runtime;
      const deps: CustomerDeps = {
        orm,
        events: outbox,
        timeZone: config.calendar.timeZone,
        calendar: config.calendar,
        now: () => new Date(),
      };
      const workers = await subscribe(runtime, [
        ...contactLogSubscriptions(deps),
        ...archiveSubscriptions(deps, logger),
      ]);
      if (config.ARCHIVE_SCHEDULER) {
        workers.push(
          startArchiveScheduler(deps, logger, config.ARCHIVE_SCAN_INTERVAL_MS, runtime.metrics),
        );
      }
      return {
        grpc: (server) =>
          server.addService(customerV1.CustomerServiceService, customerHandlers(deps)),
        graphql: createSubgraph({
          typeDefs: loadTypeDefs(SCHEMA_PATH),
          resolvers: customerResolvers(deps),
          context: customerContext(deps),
          logger,
        }),
        workers,
      };
    },
    ...overrides,
  };
}

export const startCustomerService = (
  config: CustomerConfig,
  overrides?: Partial<ServiceSpec<CustomerConfig>>,
): Promise<RunningService<CustomerConfig>> => startService(customerSpec(config, overrides));
