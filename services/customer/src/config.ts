import { type Env, loadServiceConfig, type ServiceConfig, serviceEnv } from '@aftercare/kit';

export const customerEnv = serviceEnv('customer', { httpPort: 4101, grpcPort: 50101 });

export type CustomerConfig = ServiceConfig<typeof customerEnv>;

export const loadCustomerConfig = (env: Env = process.env): CustomerConfig =>
  loadServiceConfig(customerEnv, env);
