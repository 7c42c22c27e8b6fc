import {
  type Env,
  grpcAddress,
  loadServiceConfig,
  schedulerSettings,
  type ServiceConfig,
  serviceEnv,
} from '@aftercare/kit';
import { STATION_CODE_PATTERN } from '@aftercare/kernel';
import { z } from 'zod';

/** R-WO-3: whether this replica looks for SLA breaches (SLA_SCHEDULER), and how often. */
export const slaScheduler = schedulerSettings('SLA_SCHEDULER', 'SLA_SCAN_INTERVAL_MS', {
  everyMs: 60_000,
});

/** R-WO-10: whether this replica sends certificate reminders (CERTIFICATE_SCHEDULER), and how often it looks. */
export const certificateScheduler = schedulerSettings(
  'CERTIFICATE_SCHEDULER',
  'CERTIFICATE_SCAN_INTERVAL_MS',
  { everyMs: 3_600_000 },
);

export const workOrderEnv = serviceEnv('workorder', {
  httpPort: 4102,
  grpcPort: 50102,
  adminPort: 9402,
}).extend({
  CUSTOMER_GRPC_ADDRESS: grpcAddress('127.0.0.1:50101'),
  ...slaScheduler.env,
  ...certificateScheduler.env,
  /** R-WO-10 how many days before a certificate expires its holder's reminder goes out. */
  CERTIFICATE_REMINDER_DAYS: z.coerce.number().int().min(0).max(366).default(30),
  /** R-WO-8 window: the same fault on the same asset within this many days is a repeat repair. */
  REPEAT_REPAIR_WINDOW_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Comma-separated fault category codes; default ELECTRICAL, MECHANICAL, … (domain/intake.ts). */
  FAULT_CATEGORIES: z.string().optional(),
  /** docs/rules.md §6 service timeliness target: share of work orders meeting their SLA (seed ≥ 90%). */
  SERVICE_TIMELINESS_TARGET: z.coerce.number().min(0).max(1).default(0.9),
  /**
   * Service station of orders when intake names none and the registering staff member has none on
   * the roster (e.g. a one-station deployment); unset: such orders have no station.
   */
  DEFAULT_STATION_CODE: z
    .string()
    .trim()
    .toUpperCase()
    .regex(STATION_CODE_PATTERN, 'a station code: 2–32 characters of A–Z, 0–9 and "-"')
    .optional(),
});

export type WorkOrderConfig = ServiceConfig<typeof workOrderEnv>;

export const loadWorkOrderConfig = (env: Env = process.env): WorkOrderConfig =>
  loadServiceConfig(workOrderEnv, env);
