import {
  type Env,
  grpcAddress,
  loadServiceConfig,
  type ServiceConfig,
  serviceEnv,
} from '@aftercare/kit';
import { z } from 'zod';

export const inventoryEnv = serviceEnv('inventory', { httpPort: 4103, grpcPort: 50103 }).extend({
  WORKORDER_GRPC_ADDRESS: grpcAddress('127.0.0.1:50102'),
  GRPC_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
});

export type InventoryConfig = ServiceConfig<typeof inventoryEnv>;

export const loadInventoryConfig = (env: Env = process.env): InventoryConfig =>
  loadServiceConfig(inventoryEnv, env);
