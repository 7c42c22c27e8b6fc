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
} from '@aftercare/kit';
import { SURVEY_COUNTERS } from './business-metrics';
import { events } from '@aftercare/events';
import { surveyV1 } from '@aftercare/proto';
import type { SurveyDeps } from './app/deps';
import { startContactLogRetry } from './app/follow-ups';
import { onCustomerEvent, startReminderScheduler } from './app/reminders';
import { onComplaintClosed, onWorkOrderCompleted } from './app/surveys';
import type { SurveyConfig } from './config';
import { surveyEntities } from './db/entities';
import { surveyMigrations } from './db/migrations';
import { surveyContext, surveyResolvers } from './graphql/resolvers';
import { customerDirectory } from './grpc/customer-directory';
import { surveyHandlers } from './grpc/handlers';

export const SCHEMA_PATH = join(__dirname, 'graphql', 'schema.graphql');

/** The durable consumers of the survey service: one per (stream, filter), idempotent via the inbox. */
const subscriptions = (deps: SurveyDeps): Subscription[] => [
  subscription({
    consumerName: 'survey-on-workorder-completed',
    events: [events.workorder.completed],
    handler: async (em, e) => {
      await onWorkOrderCompleted(deps, em, e.data, e.time);
    },
  }),
  subscription({
    consumerName: 'survey-on-complaint-closed',
    events: [events.complaint.closed],
    handler: async (em, e) => {
      await onComplaintClosed(deps, em, e.data);
    },
  }),
  subscription({
    consumerName: 'survey-on-customer',
    events: [events.customer.created, events.customer.updated, events.customer.assetRegistered],
    handler: (em, e) => onCustomerEvent(deps, em, e),
  }),
];

export function surveySpec(
  config: SurveyConfig,
  overrides: Partial<ServiceSpec<SurveyConfig>> = {},
  onReady: (deps: SurveyDeps) => void = () => {},
): ServiceSpec<SurveyConfig> {
  return {
    config,
    entities: surveyEntities,
    migrations: surveyMigrations,
    async setup(runtime) {
      countPublishedEvents(runtime.metrics, SURVEY_COUNTERS);
      const { orm, outbox, lifecycle, logger, calls } = runtime;
      const customers = customerDirectory(
        config.CUSTOMER_GRPC_ADDRESS,
        config.GRPC_CALL_TIMEOUT_MS,
        calls,
      );
      lifecycle.onShutdown('customer client', () => customers.close());
      const deps: SurveyDeps = {
        orm,
        events: outbox,
        customers,
        calendar: config.calendar,
        now: () => new Date(),
        logger,
        settings: {
          dissatisfiedThreshold: config.DISSATISFIED_THRESHOLD_LEVEL,
          linkTtlHours: config.SURVEY_LINK_TTL_HOURS,
          workOrderTemplate: config.WORK_ORDER_SURVEY_TEMPLATE,
          plan: {
            firstFromDays: config.FOLLOW_UP_FIRST_FROM_DAYS,
            firstToDays: config.FOLLOW_UP_FIRST_TO_DAYS,
            secondWindowDays: config.FOLLOW_UP_SECOND_WINDOW_DAYS,
          },
          reminders: {
            maintenanceLeadDays: config.MAINTENANCE_REMINDER_DAYS,
            contractLeadMonths: config.CONTRACT_REMINDER_MONTHS,
            warrantyLeadMonths: config.WARRANTY_REMINDER_MONTHS,
            invitationLeadDays: config.INVITATION_REMINDER_DAYS,
          },
        },
      };
      onReady(deps);
      const consumers = await subscribe(runtime, subscriptions(deps));
      return {
        grpc: (server) => server.addService(surveyV1.SurveyServiceService, surveyHandlers(deps)),
        graphql: createSubgraph({
          typeDefs: loadTypeDefs(SCHEMA_PATH),
          resolvers: surveyResolvers(deps),
          context: surveyContext(deps),
          logger,
        }),
        workers: [
          ...consumers,
          startContactLogRetry(deps, logger, config.CONTACT_LOG_RETRY_INTERVAL_MS, runtime.metrics),
          ...(config.REMINDER_SCHEDULER
            ? [
                startReminderScheduler(
                  deps,
                  logger,
                  config.REMINDER_SCAN_INTERVAL_MS,
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

export const startSurveyService = (
  config: SurveyConfig,
  overrides?: Partial<ServiceSpec<SurveyConfig>>,
  onReady?: (deps: SurveyDeps) => void,
): Promise<RunningService<SurveyConfig>> => startService(surveySpec(config, overrides, onReady));
