import { join } from 'node:path';
import { events } from '@aftercare/events';
import { defineService, loadTypeDefs, watchEvents } from '@aftercare/kit';
import { workorderV1 } from '@aftercare/proto';
import type { WorkOrderDeps } from './app/deps';
import { remindExpiringCertificates } from './app/certificate-reminders';
import { slaPolicyCache } from './app/sla-policy-cache';
import { scanSlaBreaches } from './app/sla-scan';
import { WORKORDER_COUNTERS } from './business-metrics';
import { customerDirectory } from './clients/customer-directory';
import { certificateScheduler, slaScheduler, type WorkOrderConfig } from './config';
import { workOrderEntities } from './db/entities';
import { workOrderMigrations } from './db/migrations';
import {
  DEFAULT_DISCOUNT_AUTHORITY,
  DEFAULT_FAULT_CATEGORIES,
  parseFaultCategories,
} from './domain';
import { type WorkOrderContext, workOrderContext, workOrderResolvers } from './graphql/resolvers';
import { workOrderHandlers } from './grpc/handlers';

export const SCHEMA_PATH = join(__dirname, 'graphql', 'schema.graphql');

export const workOrderService = defineService<WorkOrderConfig, WorkOrderDeps, WorkOrderContext>({
  entities: workOrderEntities,
  migrations: workOrderMigrations,
  deps(runtime) {
    const { config, orm, outbox } = runtime;
    const slaPolicies = slaPolicyCache();
    // Another replica's change reaches this one's cache through the change's own event.
    const unwatch = watchEvents(
      runtime.nats,
      config.EVENT_SUBJECT_PREFIX,
      [events.workorder.slaPolicyChanged],
      () => slaPolicies.invalidate(),
    );
    runtime.lifecycle.onShutdown('sla policy watch', async () => unwatch());
    return {
      orm,
      events: outbox,
      customers: customerDirectory(runtime),
      calendar: config.calendar,
      now: () => new Date(),
      categories: config.FAULT_CATEGORIES
        ? parseFaultCategories(config.FAULT_CATEGORIES.split(','), 'FAULT_CATEGORIES')
        : [...DEFAULT_FAULT_CATEGORIES],
      repeatWindowDays: config.REPEAT_REPAIR_WINDOW_DAYS,
      discountAuthority: DEFAULT_DISCOUNT_AUTHORITY,
      timelinessTarget: config.SERVICE_TIMELINESS_TARGET,
      defaultStation: config.DEFAULT_STATION_CODE ?? null,
      certificateReminderDays: config.CERTIFICATE_REMINDER_DAYS,
      slaPolicies,
    };
  },
  grpc: (server, deps) =>
    server.addService(workorderV1.WorkOrderServiceService, workOrderHandlers(deps)),
  graphql: {
    typeDefs: loadTypeDefs(SCHEMA_PATH),
    resolvers: workOrderResolvers,
    context: workOrderContext,
    // The graph's admin-only dead-letter fields for every service (ADR 0025).
    deadLetters: true,
  },
  schedulers: (deps, config) => [
    { name: 'sla scheduler', ...slaScheduler.of(config), run: () => scanSlaBreaches(deps) },
    {
      name: 'certificate reminders',
      ...certificateScheduler.of(config),
      run: () => remindExpiringCertificates(deps),
    },
  ],
  counters: WORKORDER_COUNTERS,
});

export const workOrderSpec = workOrderService.spec;
export const startWorkOrderService = workOrderService.start;
