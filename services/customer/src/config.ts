import { type Env, flag, loadServiceConfig, type ServiceConfig, serviceEnv } from '@aftercare/kit';
import { z } from 'zod';

export const customerEnv = serviceEnv('customer', {
  httpPort: 4101,
  grpcPort: 50101,
  adminPort: 9401,
}).extend({
  /** How often the archive scheduler looks for handovers past their deadline (R-CU-3). */
  ARCHIVE_SCAN_INTERVAL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  ARCHIVE_SCHEDULER: flag(true),
});

export type CustomerConfig = ServiceConfig<typeof customerEnv>;

export const loadCustomerConfig = (env: Env = process.env): CustomerConfig =>
  loadServiceConfig(customerEnv, env);
