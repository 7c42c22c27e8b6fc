import { type Env, loadServiceConfig, type ServiceConfig, serviceEnv } from '@aftercare/kit';

export const inventoryEnv = serviceEnv('inventory', { httpPort: 4103, grpcPort: 50103 });

export type InventoryConfig = ServiceConfig<typeof inventoryEnv>;

export const loadInventoryConfig = (env: Env = process.env): InventoryConfig =>
  loadServiceConfig(inventoryEnv, env);
