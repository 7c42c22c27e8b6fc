import { z } from 'zod';
import { isoInstant, uuid } from './common';

/**
 * `complaint.closed`: a complaint closed, valid (with the customer's satisfaction) or invalid
 * (with the reason). The survey service surveys the complaint handling after close (R-SV-5).
 */
export const complaintClosed = z.object({
  complaintId: uuid,
  number: z.string(),
  customerId: uuid.nullable(),
  workOrderId: uuid.nullable(),
  category: z.string(),
  channel: z.string(),
  valid: z.boolean(),
  /** The customer's satisfaction with the handling when closed as valid; null when invalid. */
  satisfaction: z.string().nullable(),
  receivedAt: isoInstant,
  closedAt: isoInstant,
});

export type ComplaintClosed = z.infer<typeof complaintClosed>;
