import { z } from 'zod';
import { isoInstant, uuid } from './common';

/**
 * `customer.archive_handover_late` (R-CU-3): an archive handover (sales: 3 working days after the
 * sale; after-sales: 1 working day after the vehicle is returned) was received late, received
 * incomplete (required documents or customer signatures missing), or not handed over at all by
 * its deadline. Emitted once per handover; the complaint service proposes a penalty (R-PN-1).
 */
export const customerArchiveHandoverLate = z.object({
  handoverId: uuid,
  customerId: uuid,
  assetId: uuid.nullable(),
  workOrderId: uuid.nullable(),
  source: z.enum(['SALES', 'AFTER_SALES']),
  /** The sales or service advisor responsible for the handover; null when nobody is known. */
  responsibleStaffId: z.string().nullable(),
  dueAt: isoInstant,
  /** Null: nothing handed over by the deadline. */
  receivedAt: isoInstant.nullable(),
  late: z.boolean(),
  missingKinds: z.array(z.string()),
  unsignedKinds: z.array(z.string()),
  /** When the violation happened: the deadline when late, the receipt when only incomplete. */
  violatedAt: isoInstant,
});

export type CustomerArchiveHandoverLate = z.infer<typeof customerArchiveHandoverLate>;
