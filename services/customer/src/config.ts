import { type Env, loadConfig, serviceEnv } from '@aftercare/kit';
import { z } from 'zod';

export const customerEnv = serviceEnv('customer', { httpPort: 4101, grpcPort: 50101 }).and(
  z.object({
    /** The business time zone: warranty and contract dates are local dates there. */
    BUSINESS_TZ: z
      .string()
      .default('Asia/Shanghai')
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone such as Asia/Shanghai'),
  }),
);

export type CustomerConfig = z.infer<typeof customerEnv>;

export const loadCustomerConfig = (env: Env = process.env): CustomerConfig => loadConfig(customerEnv, env);
