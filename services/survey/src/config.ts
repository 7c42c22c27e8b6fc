import {
  ConfigError,
  type Env,
  grpcAddress,
  loadServiceConfig,
  schedulerSettings,
  type ServiceConfig,
  serviceEnv,
} from '@aftercare/kit';
import { z } from 'zod';

const days = (fallback: number, max = 366) =>
  z.coerce.number().int().min(0).max(max).default(fallback);

/** R-SV-3: how often the reminder scan runs (at most daily). */
export const reminderScheduler = schedulerSettings(
  'REMINDER_SCHEDULER',
  'REMINDER_SCAN_INTERVAL_MS',
  {
    everyMs: 300_000,
    maxMs: 86_400_000,
  },
);

export const surveyEnv = serviceEnv('survey', {
  httpPort: 4105,
  grpcPort: 50105,
  adminPort: 9405,
}).extend({
  /** Asset dates for reminders (R-SV-3). */
  CUSTOMER_GRPC_ADDRESS: grpcAddress('127.0.0.1:50101'),
  /** R-SV-4: an item answered at or below this level (1 very dissatisfied … 4) is dissatisfied. */
  DISSATISFIED_THRESHOLD_LEVEL: z.coerce.number().int().min(1).max(3).default(2),
  /** How long a customer's survey link works. */
  SURVEY_LINK_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(168),
  /** Template of work-order surveys (R-SV-1); must exist in survey_template. */
  WORK_ORDER_SURVEY_TEMPLATE: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/)
    .default('TECHNICIAN_EVALUATION'),
  /** R-SV-2: first call 3–7 days after the service, the second in the week after. */
  FOLLOW_UP_FIRST_FROM_DAYS: days(3, 60),
  FOLLOW_UP_FIRST_TO_DAYS: days(7, 60),
  /** At least one day: a window of none could never be kept. */
  FOLLOW_UP_SECOND_WINDOW_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  /** R-SV-3 lead times. */
  MAINTENANCE_REMINDER_DAYS: days(7),
  CONTRACT_REMINDER_MONTHS: z.coerce.number().int().min(0).max(24).default(1),
  WARRANTY_REMINDER_MONTHS: z.coerce.number().int().min(0).max(24).default(3),
  INVITATION_REMINDER_DAYS: days(14),
  ...reminderScheduler.env,
});

export type SurveyConfig = ServiceConfig<typeof surveyEnv>;

export function loadSurveyConfig(env: Env = process.env): SurveyConfig {
  const config = loadServiceConfig(surveyEnv, env);
  if (config.FOLLOW_UP_FIRST_TO_DAYS < config.FOLLOW_UP_FIRST_FROM_DAYS)
    throw new ConfigError([
      'FOLLOW_UP_FIRST_TO_DAYS: must not be less than FOLLOW_UP_FIRST_FROM_DAYS',
    ]);
  return config;
}
