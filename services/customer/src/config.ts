import { z } from 'zod';
import {
  type Env,
  loadServiceConfig,
  schedulerSettings,
  type ServiceConfig,
  serviceEnv,
} from '@aftercare/kit';
import { DEFAULT_RETENTION_YEARS, MAX_RETENTION_YEARS } from './domain/retention';

/**
 * How often the archive scheduler looks for handovers past their deadline (R-CU-3), for new
 * customers' files past theirs (R-CU-6) and for lent paper files not back by their due day (R-CU-4).
 */
export const archiveScheduler = schedulerSettings('ARCHIVE_SCHEDULER', 'ARCHIVE_SCAN_INTERVAL_MS', {
  everyMs: 60_000,
});

export const customerEnv = serviceEnv('customer', {
  httpPort: 4101,
  grpcPort: 50101,
  adminPort: 9401,
}).extend({
  ...archiveScheduler.env,
  /** R-CU-7: how long a warranty started by an installation or commissioning runs, in months. */
  WARRANTY_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
  /** R-CU-6: calendar days from a new customer's first visit or repair to a complete file. */
  FILE_COMPLETENESS_DAYS: z.coerce.number().int().min(1).max(30).default(2),
  /** R-CU-4: how long a file read waits in memory before its log row is written (at most lost in a crash). */
  READ_LOG_FLUSH_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** R-CU-4: read log rows held while writes fail; past it, reads are refused (UNAVAILABLE). */
  READ_LOG_BUFFER_ROWS: z.coerce.number().int().min(1000).max(1_000_000).default(50_000),
  /** R-CU-4: the longest a paper file may be lent, in calendar days from the request or lending. */
  ARCHIVE_LOAN_MAX_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  /** R-CU-4: years a customer file is kept after its last activity before it may be destroyed. */
  ARCHIVE_RETENTION_YEARS: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_RETENTION_YEARS)
    .default(DEFAULT_RETENTION_YEARS),
});

export type CustomerConfig = ServiceConfig<typeof customerEnv>;

export const loadCustomerConfig = (env: Env = process.env): CustomerConfig =>
  loadServiceConfig(customerEnv, env);
