import {
  type Env,
  flag,
  grpcAddress,
  loadServiceConfig,
  type ServiceConfig,
  serviceEnv,
} from '@aftercare/kit';
import { z } from 'zod';

export const complaintEnv = serviceEnv('complaint', { httpPort: 4104, grpcPort: 50104 }).extend({
  /** Complainant's customer (R-CO-1) and the contact of a customer heard on a follow-up call. */
  CUSTOMER_GRPC_ADDRESS: grpcAddress('127.0.0.1:50101'),
  /** Related work order (R-CO-1) and the staff roster: positions and team leads (R-PN-2). */
  WORKORDER_GRPC_ADDRESS: grpcAddress('127.0.0.1:50102'),
  /** How often the deadline scheduler looks for overdue and unescalated major complaints (R-CO-3). */
  COMPLAINT_SCAN_INTERVAL_MS: z.coerce.number().int().min(200).max(3_600_000).default(60_000),
  COMPLAINT_SCHEDULER: flag(true),
});

export type ComplaintConfig = ServiceConfig<typeof complaintEnv>;

export const loadComplaintConfig = (env: Env = process.env): ComplaintConfig =>
  loadServiceConfig(complaintEnv, env);
