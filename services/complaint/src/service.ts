import { join } from 'node:path';
import {
  countPublishedEvents,
  createSubgraph,
  loadTypeDefs,
  type RunningService,
  type ServiceSpec,
  startService,
  subscribe,
  type Subscription,
  subscription,
  type Logger,
} from '@aftercare/kit';
import { COMPLAINT_COUNTERS } from './business-metrics';
import { events } from '@aftercare/events';
import { complaintV1 } from '@aftercare/proto';
import {
  onArchiveHandoverLate,
  onRepeatRepair,
  onSlaBreached,
  onSurveyDissatisfied,
  onToolLost,
  onWorkOrderCompleted,
} from './app/consumers';
import { startDeadlineScheduler } from './app/deadline-scan';
import type { ComplaintDeps } from './app/deps';
import { startCorrectionScheduler } from './app/penalties';
import type { ComplaintConfig } from './config';
import { complaintEntities } from './db/entities';
import { complaintMigrations } from './db/migrations';
import { complaintContext, complaintResolvers } from './graphql/resolvers';
import { customerDirectory, workOrderDirectory } from './grpc/directories';
import { complaintHandlers } from './grpc/handlers';

export const SCHEMA_PATH = join(__dirname, 'graphql', 'schema.graphql');

/** The events this service consumes, one durable consumer each (idempotent via the inbox). */
const subscriptions = (deps: ComplaintDeps, logger: Logger): Subscription[] => [
  subscription({
    consumerName: 'complaint-on-survey-dissatisfied',
    events: [events.survey.dissatisfied],
    handler: onSurveyDissatisfied(deps, logger),
  }),
  subscription({
    consumerName: 'complaint-on-workorder-completed',
    events: [events.workorder.completed],
    handler: onWorkOrderCompleted(),
  }),
  subscription({
    consumerName: 'complaint-on-sla-breached',
    events: [events.workorder.slaBreached],
    handler: onSlaBreached(deps, logger),
  }),
  subscription({
    consumerName: 'complaint-on-repeat-repair',
    events: [events.workorder.repeatRepair],
    handler: onRepeatRepair(deps),
  }),
  subscription({
    consumerName: 'complaint-on-tool-lost',
    events: [events.inventory.toolLost],
    handler: onToolLost(deps),
  }),
  subscription({
    consumerName: 'complaint-on-archive-handover-late',
    events: [events.customer.archiveHandoverLate],
    handler: onArchiveHandoverLate(deps, logger),
  }),
];

export function complaintSpec(
  config: ComplaintConfig,
  onReady: (deps: ComplaintDeps) => void = () => {},
  overrides: Partial<ServiceSpec<ComplaintConfig>> = {},
): ServiceSpec<ComplaintConfig> {
  return {
    config,
    entities: complaintEntities,
    migrations: complaintMigrations,
    async setup(runtime) {
      countPublishedEvents(runtime.metrics, COMPLAINT_COUNTERS);
      const { orm, outbox, lifecycle, logger, calls } = runtime;
      const customers = customerDirectory(
        config.CUSTOMER_GRPC_ADDRESS,
        config.GRPC_CALL_TIMEOUT_MS,
        calls,
      );
      const workOrders = workOrderDirectory(
        config.WORKORDER_GRPC_ADDRESS,
        config.GRPC_CALL_TIMEOUT_MS,
        calls,
      );
      lifecycle.onShutdown('customer client', () => customers.close());
      lifecycle.onShutdown('work-order client', () => workOrders.close());
      const deps: ComplaintDeps = {
        orm,
        events: outbox,
        customers,
        workOrders,
        calendar: config.calendar,
        now: () => new Date(),
        penaltyPolicy: {
          pointValueFen: config.PENALTY_POINT_VALUE_FEN,
          escalateFromNth: config.PENALTY_ESCALATE_FROM_NTH,
          escalatedPoints: config.PENALTY_ESCALATED_POINTS,
          correctionWorkingDays: config.PENALTY_CORRECTION_WORKING_DAYS,
        },
        deadlinePolicy: {
          solutionWorkingDays: config.COMPLAINT_SOLUTION_WORKING_DAYS,
          closureDays: config.COMPLAINT_CLOSURE_DAYS,
          escalationHours: config.COMPLAINT_ESCALATION_HOURS,
        },
      };
      onReady(deps);
      const workers = await subscribe(runtime, subscriptions(deps, logger));
      if (config.COMPLAINT_SCHEDULER) {
        workers.push(
          startDeadlineScheduler(deps, logger, config.COMPLAINT_SCAN_INTERVAL_MS, runtime.metrics),
          startCorrectionScheduler(
            deps,
            logger,
            config.COMPLAINT_SCAN_INTERVAL_MS,
            runtime.metrics,
          ),
        );
      }
      return {
        grpc: (server) =>
          server.addService(complaintV1.ComplaintServiceService, complaintHandlers(deps)),
        graphql: createSubgraph({
          typeDefs: loadTypeDefs(SCHEMA_PATH),
          resolvers: complaintResolvers(deps),
          context: complaintContext(deps),
          logger,
        }),
        workers,
      };
    },
    ...overrides,
  };
}

export const startComplaintService = (
  config: ComplaintConfig,
  onReady?: (deps: ComplaintDeps) => void,
): Promise<RunningService<ComplaintConfig>> => startService(complaintSpec(config, onReady));
