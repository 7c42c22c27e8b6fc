import {
  type Env,
  grpcAddress,
  loadServiceConfig,
  schedulerSettings,
  type ServiceConfig,
  serviceEnv,
} from '@aftercare/kit';
import { z } from 'zod';

/** How often the deadline and re-count schedulers run (R-CO-3, R-PN-2), and whether here. */
export const complaintScheduler = schedulerSettings(
  'COMPLAINT_SCHEDULER',
  'COMPLAINT_SCAN_INTERVAL_MS',
  { everyMs: 60_000, minMs: 200 },
);

export const complaintEnv = serviceEnv('complaint', {
  httpPort: 4104,
  grpcPort: 50104,
  adminPort: 9404,
}).extend({
  /** Complainant's customer (R-CO-1) and the contact of a customer heard on a follow-up call. */
  CUSTOMER_GRPC_ADDRESS: grpcAddress('127.0.0.1:50101'),
  /** Related work order (R-CO-1) and the staff roster: positions and team leads (R-PN-2). */
  WORKORDER_GRPC_ADDRESS: grpcAddress('127.0.0.1:50102'),
  ...complaintScheduler.env,
  // R-CO-2/R-CO-3 deadlines (seed figures as defaults): solution 1 working day after assignment,
  // closure 7 days after receipt, escalation of a major complaint 24 h after receipt.
  COMPLAINT_SOLUTION_WORKING_DAYS: z.coerce.number().int().min(1).max(30).default(1),
  COMPLAINT_CLOSURE_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  COMPLAINT_ESCALATION_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  // R-PN-2 escalation (seed figures as defaults): 1 point = 2 yuan; from the 5th violation in a
  // month 5 points; uncorrected after 1 working day it counts again.
  PENALTY_POINT_VALUE_FEN: z.coerce.number().int().min(0).max(1_000_000).default(200),
  PENALTY_ESCALATE_FROM_NTH: z.coerce.number().int().min(1).max(1000).default(5),
  PENALTY_ESCALATED_POINTS: z.coerce.number().int().min(0).max(1000).default(5),
  PENALTY_CORRECTION_WORKING_DAYS: z.coerce.number().int().min(1).max(30).default(1),
});

export type ComplaintConfig = ServiceConfig<typeof complaintEnv>;

export const loadComplaintConfig = (env: Env = process.env): ComplaintConfig =>
  loadServiceConfig(complaintEnv, env);
