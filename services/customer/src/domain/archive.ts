import type { BusinessCalendar } from '@aftercare/calendar';
import {
  instant,
  invalidArgument,
  notInFuture,
  oneOf,
  optionalText,
  staffId,
} from '@aftercare/kit/domain';

/**
 * R-CU-3 archive handovers (用户档案签收): sales hands a new vehicle's file to the archive clerk
 * within 3 working days after the sale, after-sales the service file within 1 working day after
 * the vehicle is returned to the customer.
 */
export const HANDOVER_SOURCES = ['SALES', 'AFTER_SALES'] as const;
export type HandoverSource = (typeof HANDOVER_SOURCES)[number];

/** Seed (新车档案构成 / 保养车辆资料档案): what a handover consists of. */
export const ARCHIVE_DOCUMENT_KINDS = [
  'INVOICE_COPY',
  'SALES_CONTRACT',
  'ID_COPY',
  'DELIVERY_INSPECTION',
  'LICENCE_COPY',
  'INSURANCE',
  'SERVICE_LIST',
  'CERTIFICATE',
  'DELIVERY_PHOTO',
  'PDI_CHECK',
  'RECEPTION_ORDER',
  'REPAIR_ORDER',
  'SETTLEMENT',
  'FREE_CHECK_LIST',
  'OTHER',
] as const;
export type ArchiveDocumentKind = (typeof ARCHIVE_DOCUMENT_KINDS)[number];

export interface HandoverRule {
  workingDays: number;
  /** Kinds a complete handover contains (the derived-services list and "other" are optional). */
  required: readonly ArchiveDocumentKind[];
  /** Kinds the customer signs; one without the customer's signature makes the handover incomplete. */
  signed: readonly ArchiveDocumentKind[];
}

export const HANDOVER_RULES: Readonly<Record<HandoverSource, HandoverRule>> = Object.freeze({
  SALES: {
    workingDays: 3,
    required: [
      'INVOICE_COPY',
      'SALES_CONTRACT',
      'ID_COPY',
      'DELIVERY_INSPECTION',
      'LICENCE_COPY',
      'INSURANCE',
      'CERTIFICATE',
      'DELIVERY_PHOTO',
      'PDI_CHECK',
    ],
    // Seed: "检查类档案，无用户签名" — the check-type documents carry the customer's signature.
    signed: ['DELIVERY_INSPECTION', 'PDI_CHECK'],
  },
  AFTER_SALES: {
    workingDays: 1,
    required: ['RECEPTION_ORDER', 'REPAIR_ORDER', 'SETTLEMENT', 'FREE_CHECK_LIST'],
    signed: ['RECEPTION_ORDER', 'REPAIR_ORDER', 'SETTLEMENT', 'FREE_CHECK_LIST'],
  },
});

/**
 * Deadline: closing time of the n-th working day after the local day of the sale or return
 * (a sale on Monday is due by Thursday's close; one on Saturday by Wednesday's).
 */
export function handoverDueAt(
  source: HandoverSource,
  eventAt: Date,
  calendar: BusinessCalendar,
): Date {
  let day = eventAt;
  for (let i = 0; i < HANDOVER_RULES[source].workingDays; i += 1) {
    day = calendar.nextWorkingDayStart(day);
  }
  return calendar.endOfWorkingDay(day);
}

export interface HandedDocument {
  kind: ArchiveDocumentKind;
  reference: string | null;
  customerSigned: boolean;
}

export interface HandoverAssessment {
  late: boolean;
  missingKinds: ArchiveDocumentKind[];
  unsignedKinds: ArchiveDocumentKind[];
  /** Late or incomplete: a violation (R-CU-3 → R-PN-1). */
  violation: boolean;
}

/** R-CU-3: a receipt after the deadline is late; missing required kinds or signatures, incomplete. */
export function assessHandover(
  source: HandoverSource,
  dueAt: Date,
  receivedAt: Date,
  documents: readonly HandedDocument[],
): HandoverAssessment {
  const rule = HANDOVER_RULES[source];
  const late = receivedAt.getTime() > dueAt.getTime();
  const kinds = new Set(documents.map((d) => d.kind));
  const missingKinds = rule.required.filter((k) => !kinds.has(k));
  const unsignedKinds = rule.signed.filter(
    (k) => kinds.has(k) && !documents.some((d) => d.kind === k && d.customerSigned),
  );
  return {
    late,
    missingKinds,
    unsignedKinds,
    violation: late || missingKinds.length > 0 || unsignedKinds.length > 0,
  };
}

export interface ReceiptInput {
  handedOverBy?: string | null;
  receivedAt?: Date | string | null;
  documents?:
    | readonly {
        kind?: string | null;
        reference?: string | null;
        customerSigned?: boolean | null;
      }[]
    | null;
}

export interface Receipt {
  handedOverBy: string;
  receivedAt: Date;
  documents: HandedDocument[];
}

export const MAX_DOCUMENTS = 50;

/** Validates a receipt recorded by the archive clerk; `receivedAt` defaults to now. */
export function parseReceipt(input: ReceiptInput, now: Date): Receipt {
  const handedOverBy = staffId(input.handedOverBy, 'handedOverBy');
  const receivedAt = notInFuture(
    input.receivedAt ? instant(input.receivedAt, 'receivedAt') : now,
    now,
    'receivedAt',
  );
  const raw = input.documents ?? [];
  if (raw.length === 0) {
    throw invalidArgument('a handover has at least one document', 'documents', 'REQUIRED');
  }
  if (raw.length > MAX_DOCUMENTS) {
    throw invalidArgument(`at most ${MAX_DOCUMENTS} documents`, 'documents', 'TOO_MANY');
  }
  const documents = raw.map((d, i) => ({
    kind: oneOf(ARCHIVE_DOCUMENT_KINDS, d.kind, `documents[${i}].kind`),
    reference: optionalText(d.reference, `documents[${i}].reference`, 200),
    customerSigned: d.customerSigned === true,
  }));
  return { handedOverBy, receivedAt, documents };
}
