import { type Env, loadConfig, serviceEnv } from '@aftercare/kit';
import type { z } from 'zod';

export const customerEnv = serviceEnv('customer', { httpPort: 4101, grpcPort: 50101 });

export type CustomerConfig = z.infer<typeof customerEnv>;

export const loadCustomerConfig = (env: Env = process.env): CustomerConfig =>
  loadConfig(customerEnv, env);
