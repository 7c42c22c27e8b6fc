import { join } from 'node:path';
import {
  createSubgraph,
  loadTypeDefs,
  type RunningService,
  type ServiceSpec,
  startService,
} from '@aftercare/kit';
import { customerV1 } from '@aftercare/proto';
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
    setup({ orm, outbox, logger }) {
      const deps: CustomerDeps = {
        orm,
        events: outbox,
        timeZone: config.calendar.timeZone,
        now: () => new Date(),
      };
      return {
        grpc: (server) =>
          server.addService(customerV1.CustomerServiceService, customerHandlers(deps)),
        graphql: createSubgraph({
          typeDefs: loadTypeDefs(SCHEMA_PATH),
          resolvers: customerResolvers(deps),
          context: customerContext(deps),
          logger,
        }),
      };
    },
    ...overrides,
  };
}

export const startCustomerService = (
  config: CustomerConfig,
  overrides?: Partial<ServiceSpec<CustomerConfig>>,
): Promise<RunningService<CustomerConfig>> => startService(customerSpec(config, overrides));
