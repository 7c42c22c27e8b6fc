import {
  checkUuid,
  staffId,
  instant,
  invalidArgument,
  notInFuture,
  oneOf,
  optionalText,
  requiredText,
} from '@aftercare/kit/domain';
import { normalisePhone } from '@aftercare/kernel';

/** How the complaint reached us (R-CO-1); FOLLOW_UP = heard during a follow-up call (R-SV-4). */
export const COMPLAINT_CHANNELS = [
  'PHONE',
  'LETTER',
  'VISIT',
  'WEB',
  'CALL_CENTRE',
  'MANUFACTURER',
  'MEDIA',
  'FOLLOW_UP',
] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];

export const COMPLAINT_CATEGORIES = [
  'PRODUCT_QUALITY',
  'SERVICE_ATTITUDE',
  'REPAIR_QUALITY',
  'SALES_CONTRACT',
  'TRANSPORT',
  'SUGGESTION',
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

/** What the customer asks for; several at once, or none (a suggestion asks for nothing). */
export const CUSTOMER_DEMANDS = [
  'PRICE_CUT',
  'RETURN',
  'EXCHANGE',
  'COMPENSATION',
  'APOLOGY',
] as const;
export type CustomerDemand = (typeof CUSTOMER_DEMANDS)[number];

export const MAX_COMPLAINT_CONTENT = 4000;
export const MAX_ATTACHMENTS = 20;
export const MAX_STAFF_CONCERNED = 20;

/** A file kept elsewhere (object store key or URL); the complaint only refers to it. */
export interface Attachment {
  ref: string;
  name: string | null;
}

export interface ComplaintInput {
  complainant?: { name?: string | null; phone?: string | null } | null;
  customerId?: string | null;
  workOrderId?: string | null;
  assetId?: string | null;
  channel?: string | null;
  category?: string | null;
  content?: string | null;
  demands?: readonly string[] | null;
  attachments?: readonly { ref?: string | null; name?: string | null }[] | null;
  /** Staff the complaint is about: they never handle, investigate or approve it (R-CO-2). */
  aboutStaffIds?: readonly string[] | null;
  /** Defaults to now; a letter arrives dated earlier, never in the future. */
  receivedAt?: Date | string | null;
  highImpact?: boolean | null;
  /** The customer made a scene (闹事): one of the marks of a major complaint (R-CO-3). */
  disturbance?: boolean | null;
}

export interface ComplaintIntake {
  /** The phone may be unknown: a letter, or a customer heard on a follow-up call with none on file. */
  complainant: { name: string; phone: string | null };
  customerId: string;
  workOrderId: string | null;
  assetId: string | null;
  channel: ComplaintChannel;
  category: ComplaintCategory;
  content: string;
  demands: CustomerDemand[];
  attachments: Attachment[];
  aboutStaffIds: string[];
  receivedAt: Date;
  highImpact: boolean;
  disturbance: boolean;
}

/** R-CO-1: validates and normalises a complaint as it is recorded. */
export function parseComplaint(input: ComplaintInput, options: { now: Date }): ComplaintIntake {
  const optionalId = (raw: string | null | undefined, field: string) =>
    raw ? checkUuid(raw, field) : null;
  return {
    complainant: {
      name: requiredText(input.complainant?.name, 'complainant.name', 100),
      phone: input.complainant?.phone?.trim()
        ? normalisePhone(input.complainant.phone, 'complainant.phone')
        : null,
    },
    customerId: checkUuid(input.customerId, 'customerId'),
    workOrderId: optionalId(input.workOrderId, 'workOrderId'),
    assetId: optionalId(input.assetId, 'assetId'),
    channel: oneOf(COMPLAINT_CHANNELS, input.channel, 'channel'),
    category: oneOf(COMPLAINT_CATEGORIES, input.category, 'category'),
    content: requiredText(input.content, 'content', MAX_COMPLAINT_CONTENT),
    demands: distinct(
      (input.demands ?? []).map((d, i) => oneOf(CUSTOMER_DEMANDS, d, `demands.${i}`)),
      'demands',
      CUSTOMER_DEMANDS.length,
    ),
    attachments: parseAttachments(input.attachments ?? []),
    aboutStaffIds: distinct(
      (input.aboutStaffIds ?? []).map((id, i) => staffId(id, `aboutStaffIds.${i}`)),
      'aboutStaffIds',
      MAX_STAFF_CONCERNED,
    ),
    receivedAt: notInFuture(
      input.receivedAt ? instant(input.receivedAt, 'receivedAt') : options.now,
      options.now,
      'receivedAt',
    ),
    highImpact: Boolean(input.highImpact),
    disturbance: Boolean(input.disturbance),
  };
}

function parseAttachments(raw: NonNullable<ComplaintInput['attachments']>): Attachment[] {
  if (raw.length > MAX_ATTACHMENTS) {
    throw invalidArgument(`at most ${MAX_ATTACHMENTS} attachments`, 'attachments', 'TOO_MANY');
  }
  const attachments = raw.map((a, i) => ({
    ref: requiredText(a.ref, `attachments.${i}.ref`, 500),
    name: optionalText(a.name, `attachments.${i}.name`, 200),
  }));
  distinct(
    attachments.map((a) => a.ref),
    'attachments',
    MAX_ATTACHMENTS,
  );
  return attachments;
}

/** The list itself, refused when an entry repeats or there are more than `max`. */
export function distinct<T>(items: readonly T[], field: string, max: number): T[] {
  if (items.length > max)
    throw invalidArgument(`${field} has more than ${max} entries`, field, 'TOO_MANY');
  items.forEach((item, i) => {
    if (items.indexOf(item) !== i)
      throw invalidArgument(`"${String(item)}" is listed twice`, `${field}.${i}`, 'DUPLICATE');
  });
  return [...items];
}
