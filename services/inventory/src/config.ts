import {
  type Env,
  grpcAddress,
  loadServiceConfig,
  schedulerSettings,
  type ServiceConfig,
  serviceEnv,
} from '@aftercare/kit';
import { z } from 'zod';

/** R-IN-6: how often special tools still out after the working day are looked for. */
export const toolScheduler = schedulerSettings('TOOL_SCHEDULER', 'TOOL_OVERDUE_SCAN_INTERVAL_MS', {
  everyMs: 60_000,
});

export const inventoryEnv = serviceEnv('inventory', {
  httpPort: 4103,
  grpcPort: 50103,
  adminPort: 9403,
}).extend({
  WORKORDER_GRPC_ADDRESS: grpcAddress('127.0.0.1:50102'),
  ...toolScheduler.env,
  /** R-IN-4: claim orders above this value (fen) are signed by a manager (the after-sales director). */
  CLAIM_LARGE_AMOUNT_FEN: z.coerce.number().int().min(0).max(1_000_000_000).default(500_000),
});

export type InventoryConfig = ServiceConfig<typeof inventoryEnv>;

export const loadInventoryConfig = (env: Env = process.env): InventoryConfig =>
  loadServiceConfig(inventoryEnv, env);
