import { join } from 'node:path';
import { createBufferedInsert, defineService, loadTypeDefs } from '@aftercare/kit';
import { customerV1 } from '@aftercare/proto';
import { scanOverdueHandovers } from './app/archive';
import { scanOverdueLoans } from './app/archive-loans';
import type { CustomerDeps } from './app/deps';
import type { ReadLogRow } from './app/read-log';
import { scanCustomerFiles } from './app/file-completeness';
import { archiveScheduler, type CustomerConfig } from './config';
import { customerEntities } from './db/entities';
import { customerMigrations } from './db/migrations';
import { subscriptions } from './events/subscriptions';
import { type CustomerContext, customerContext, customerResolvers } from './graphql/resolvers';
import { customerHandlers } from './grpc/handlers';

export const SCHEMA_PATH = join(__dirname, 'graphql', 'schema.graphql');

export const customerService = defineService<CustomerConfig, CustomerDeps, CustomerContext>({
  entities: customerEntities,
  migrations: customerMigrations,
  deps: ({ orm, outbox, config, logger, metrics, lifecycle }): CustomerDeps => {
    const readLog = createBufferedInsert<ReadLogRow>({
      orm,
      table: 'archive_read_log',
      flushIntervalMs: config.READ_LOG_FLUSH_MS,
      batchRows: 1000,
      maxRows: config.READ_LOG_BUFFER_ROWS,
      logger,
      metrics,
    });
    // Registered after the database and before the servers: it runs once they stopped taking
    // reads, and before the connections close.
    lifecycle.onShutdown('read log', () => readLog.close());
    return {
      orm,
      events: outbox,
      timeZone: config.calendar.timeZone,
      calendar: config.calendar,
      warrantyMonths: config.WARRANTY_MONTHS,
      fileCompletenessDays: config.FILE_COMPLETENESS_DAYS,
      loanMaxDays: config.ARCHIVE_LOAN_MAX_DAYS,
      retentionYears: config.ARCHIVE_RETENTION_YEARS,
      readLog,
      now: () => new Date(),
    };
  },
  grpc: (server, deps) =>
    server.addService(customerV1.CustomerServiceService, customerHandlers(deps)),
  graphql: {
    typeDefs: loadTypeDefs(SCHEMA_PATH),
    resolvers: customerResolvers,
    context: customerContext,
  },
  subscriptions: (deps, runtime) => subscriptions(deps, runtime.logger),
  schedulers: (deps, config) => [
    {
      name: 'archive handover scheduler',
      ...archiveScheduler.of(config),
      run: () => scanOverdueHandovers(deps),
    },
    {
      name: 'customer file scheduler',
      ...archiveScheduler.of(config),
      run: () => scanCustomerFiles(deps),
    },
    {
      name: 'archive loan scheduler',
      ...archiveScheduler.of(config),
      run: () => scanOverdueLoans(deps),
    },
  ],
});

export const customerSpec = customerService.spec;
export const startCustomerService = customerService.start;
