import { join } from 'node:path';
import { defineService, loadTypeDefs } from '@aftercare/kit';
import { surveyV1 } from '@aftercare/proto';
import type { SurveyDeps } from './app/deps';
import { scanReminders } from './app/reminders';
import { SURVEY_COUNTERS } from './business-metrics';
import { customerDirectory } from './clients/customer-directory';
import { reminderScheduler, type SurveyConfig } from './config';
import { surveyEntities } from './db/entities';
import { surveyMigrations } from './db/migrations';
import { subscriptions } from './events/subscriptions';
import { type SurveyContext, surveyContext, surveyResolvers } from './graphql/resolvers';
import { surveyHandlers } from './grpc/handlers';

export const SCHEMA_PATH = join(__dirname, 'graphql', 'schema.graphql');

export const surveyService = defineService<SurveyConfig, SurveyDeps, SurveyContext>({
  entities: surveyEntities,
  migrations: surveyMigrations,
  deps: (runtime) => {
    const { config, orm, outbox, logger } = runtime;
    return {
      orm,
      events: outbox,
      customers: customerDirectory(runtime),
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
  },
  grpc: (server, deps) => server.addService(surveyV1.SurveyServiceService, surveyHandlers(deps)),
  graphql: {
    typeDefs: loadTypeDefs(SCHEMA_PATH),
    resolvers: surveyResolvers,
    context: surveyContext,
  },
  subscriptions,
  schedulers: (deps, config) => [
    { name: 'reminder scheduler', ...reminderScheduler.of(config), run: () => scanReminders(deps) },
  ],
  counters: SURVEY_COUNTERS,
});

export const surveySpec = surveyService.spec;
export const startSurveyService = surveyService.start;
