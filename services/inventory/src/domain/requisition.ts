import { conflict, forbidden, invalidArgument } from '@aftercare/kit/domain';
import { MAX_DOCUMENT_LINES, StockDocument, parseStockDocument } from './ledger';
import {
  assertDistinct,
  parseCode,
  parseCount,
  nonEmptyList,
  optionalText,
  parseQuantity,
  requiredText,
  parseStaffId,
} from './values';

/** R-IN-3 requisition (领料单) statuses. */
export const REQUISITION_STATUSES = [
  'REQUESTED',
  'APPROVED',
  'REJECTED',
  'PARTLY_ISSUED',
  'ISSUED',
  'CLOSED',
  'CANCELLED',
] as const;
export type RequisitionStatus = (typeof REQUISITION_STATUSES)[number];

/** Roles that may approve or reject a requisition (the `workshop` role stands for the workshop lead). */
export const DEFAULT_APPROVER_ROLES: readonly string[] = Object.freeze([
  'dispatcher',
  'manager',
  'workshop',
]);

export interface RequisitionLine {
  partCode: string;
  requested: number;
  /** Set on approval; may be cut below `requested`, never raised above it. */
  approved: number;
  issued: number;
  /** Fitted on the work order (from the service report); these can never come back to stock. */
  used: number;
  /** Brought back unused and posted as RETURN. */
  returned: number;
}

export interface Requisition {
  id: string;
  workOrderId: string;
  /** The warehouse the parts are drawn from (and unused parts go back to). */
  warehouseCode: string;
  requestedBy: string;
  requestedAt: Date;
  note: string | null;
  status: RequisitionStatus;
  lines: RequisitionLine[];
  decidedBy: string | null;
  decidedAt: Date | null;
  /** Why it was rejected or cancelled. */
  statusReason: string | null;
}

export interface Actor {
  id: string;
  roles: readonly string[];
}

interface PartQuantityInput {
  partCode?: string | null;
  quantity?: number | null;
}

export interface RequisitionInput {
  id?: string | null;
  workOrderId?: string | null;
  warehouseCode?: string | null;
  requestedBy?: string | null;
  note?: string | null;
  lines?: readonly PartQuantityInput[] | null;
}

/** R-IN-3 a technician requests parts, always for a work order. */
export function requestParts(input: RequisitionInput, now: Date): Requisition {
  const lines = partQuantities(input.lines, 'lines');
  return {
    id: requiredText(input.id, 'id', 64),
    workOrderId: requiredText(input.workOrderId, 'workOrderId', 64),
    warehouseCode: parseCode(input.warehouseCode, 'warehouseCode'),
    requestedBy: parseStaffId(input.requestedBy, 'requestedBy'),
    requestedAt: now,
    note: optionalText(input.note, 'note', 500),
    status: 'REQUESTED',
    lines: lines.map(({ partCode, quantity: q }) => ({
      partCode,
      requested: q,
      approved: 0,
      issued: 0,
      used: 0,
      returned: 0,
    })),
    decidedBy: null,
    decidedAt: null,
    statusReason: null,
  };
}

function partQuantities(
  input: readonly PartQuantityInput[] | null | undefined,
  field: string,
): { partCode: string; quantity: number }[] {
  const lines = nonEmptyList(input, field, MAX_DOCUMENT_LINES).map((l, i) => ({
    partCode: parseCode(l.partCode, `${field}.${i}.partCode`),
    quantity: parseQuantity(l.quantity, `${field}.${i}.quantity`),
  }));
  assertDistinct(
    lines.map((l) => l.partCode),
    field,
  );
  return lines;
}

/**
 * Approvals and rejections come from a supervisor role, and never from the person who asked
 * (PERMISSION_DENIED otherwise).
 */
function assertCanDecide(req: Requisition, actor: Actor, approverRoles: readonly string[]): void {
  if (!actor.roles.some((r) => approverRoles.includes(r))) {
    throw forbidden(`only ${approverRoles.join(', ')} may approve or reject a requisition`);
  }
  if (actor.id === req.requestedBy) {
    throw forbidden('nobody approves or rejects their own requisition');
  }
}

function assertStatus(req: Requisition, allowed: readonly RequisitionStatus[], action: string) {
  if (!allowed.includes(req.status)) {
    throw conflict(
      `cannot ${action} requisition ${req.id}: it is ${req.status}`,
      'ILLEGAL_TRANSITION',
    );
  }
}

export interface ApprovalInput {
  /** Per-line approved quantities; a part left out is approved as requested, 0 cuts the line. */
  lines?: readonly { partCode?: string | null; quantity?: number | null }[] | null;
}

/** R-IN-3 REQUESTED → APPROVED; a supervisor may cut quantities but approves at least one unit. */
export function approveRequisition(
  req: Requisition,
  actor: Actor,
  now: Date,
  input: ApprovalInput = {},
  approverRoles: readonly string[] = DEFAULT_APPROVER_ROLES,
): Requisition {
  assertStatus(req, ['REQUESTED'], 'approve');
  assertCanDecide(req, actor, approverRoles);
  const cuts = new Map<string, number>();
  (input.lines ?? []).forEach((l, i) => {
    const partCode = parseCode(l.partCode, `lines.${i}.partCode`);
    const line = req.lines.find((r) => r.partCode === partCode);
    if (!line) {
      throw invalidArgument(
        `${partCode} was not requested`,
        `lines.${i}.partCode`,
        'NOT_REQUESTED',
      );
    }
    const approved = parseCount(l.quantity, `lines.${i}.quantity`);
    if (approved > line.requested) {
      throw invalidArgument(
        `${approved} ${partCode} approved but only ${line.requested} requested`,
        `lines.${i}.quantity`,
        'EXCEEDS_REQUESTED',
      );
    }
    cuts.set(partCode, approved);
  });
  const lines = req.lines.map((l) => ({ ...l, approved: cuts.get(l.partCode) ?? l.requested }));
  if (lines.every((l) => l.approved === 0)) {
    throw invalidArgument('approving nothing is a rejection', 'lines', 'NOTHING_APPROVED');
  }
  return { ...req, status: 'APPROVED', lines, decidedBy: actor.id, decidedAt: now };
}

/** R-IN-3 REQUESTED → REJECTED, with the reason the technician is told. */
export function rejectRequisition(
  req: Requisition,
  actor: Actor,
  reason: string | null | undefined,
  now: Date,
  approverRoles: readonly string[] = DEFAULT_APPROVER_ROLES,
): Requisition {
  assertStatus(req, ['REQUESTED'], 'reject');
  assertCanDecide(req, actor, approverRoles);
  return {
    ...req,
    status: 'REJECTED',
    decidedBy: actor.id,
    decidedAt: now,
    statusReason: requiredText(reason, 'reason', 500),
  };
}

/** Withdrawn before anything is issued (REQUESTED or APPROVED → CANCELLED), with a reason. */
export function cancelRequisition(
  req: Requisition,
  reason: string | null | undefined,
): Requisition {
  assertStatus(req, ['REQUESTED', 'APPROVED'], 'cancel');
  return { ...req, status: 'CANCELLED', statusReason: requiredText(reason, 'reason', 500) };
}

/** ISSUED or PARTLY_ISSUED → CLOSED: settled; nothing more is issued or returned against it. */
export function closeRequisition(req: Requisition): Requisition {
  assertStatus(req, ['ISSUED', 'PARTLY_ISSUED'], 'close');
  return { ...req, status: 'CLOSED' };
}

const ISSUABLE: readonly RequisitionStatus[] = ['APPROVED', 'PARTLY_ISSUED'];
const HOLDING_PARTS: readonly RequisitionStatus[] = ['PARTLY_ISSUED', 'ISSUED'];

export interface Posting {
  /** Staff id of the warehouse keeper posting the document. */
  by: string;
  at?: Date | string | null;
}

export interface PostedRequisition {
  requisition: Requisition;
  /** The stock document to post in the same transaction. */
  document: StockDocument;
}

function lineOf(req: Requisition, partCode: string, field: string): RequisitionLine {
  const line = req.lines.find((l) => l.partCode === partCode);
  if (!line) {
    throw invalidArgument(
      `${partCode} is not on requisition ${req.id}`,
      field,
      'NOT_ON_REQUISITION',
    );
  }
  return line;
}

function withLines(
  req: Requisition,
  changed: ReadonlyMap<string, RequisitionLine>,
): RequisitionLine[] {
  return req.lines.map((l) => changed.get(l.partCode) ?? l);
}

/**
 * R-IN-3 the warehouse issues only against an approved requisition (见单发料, `NOT_APPROVED`) and
 * never more than approved per line (`OVER_ISSUE`). Several issues may fill it: PARTLY_ISSUED
 * until every line has its approved quantity, then ISSUED. Yields the ISSUE document.
 */
export function issueAgainst(
  req: Requisition,
  input: readonly PartQuantityInput[] | null | undefined,
  posting: Posting,
  now: Date,
): PostedRequisition {
  if (!ISSUABLE.includes(req.status)) {
    throw conflict(
      `requisition ${req.id} is ${req.status}; parts are issued only against an approved requisition`,
      'NOT_APPROVED',
    );
  }
  const posted = partQuantities(input, 'lines');
  const changed = new Map<string, RequisitionLine>();
  posted.forEach(({ partCode, quantity: q }, i) => {
    const line = lineOf(req, partCode, `lines.${i}.partCode`);
    if (line.issued + q > line.approved) {
      throw conflict(
        `${partCode}: ${line.approved} approved, ${line.issued} already issued, ${q} more is too many`,
        'OVER_ISSUE',
      );
    }
    changed.set(partCode, { ...line, issued: line.issued + q });
  });
  const lines = withLines(req, changed);
  const complete = lines.every((l) => l.issued === l.approved);
  return {
    requisition: { ...req, lines, status: complete ? 'ISSUED' : 'PARTLY_ISSUED' },
    document: documentFor(req, 'ISSUE', posted, posting, now),
  };
}

/** What may still come back for a line: issued, less used, less already returned. */
export const unusedOf = (line: RequisitionLine): number => line.issued - line.used - line.returned;

/**
 * Records the parts fitted on the work order (from the service report's parts replaced): sets
 * each listed line's `used` (a later report replaces an earlier figure). Parts not on this
 * requisition are skipped — they may come from another requisition of the same work order.
 * Used beyond what was issued and not returned is refused (`USAGE_EXCEEDS_ISSUED`).
 */
export function recordUsage(
  req: Requisition,
  partsReplaced: readonly { code: string | null; quantity: number }[],
): Requisition {
  const used = new Map<string, number>();
  for (const part of partsReplaced) {
    if (!part.code) continue;
    const partCode = part.code.trim().toUpperCase();
    used.set(partCode, (used.get(partCode) ?? 0) + part.quantity);
  }
  const changed = new Map<string, RequisitionLine>();
  for (const line of req.lines) {
    const q = used.get(line.partCode);
    if (q === undefined) continue;
    if (!Number.isSafeInteger(q) || q < 0) {
      throw invalidArgument(
        `${line.partCode}: used quantity must be a whole number, got ${q}`,
        'partsReplaced',
        'NOT_AN_INTEGER',
      );
    }
    if (q > line.issued - line.returned) {
      throw conflict(
        `${line.partCode}: ${q} reported used but ${line.issued - line.returned} issued and not returned`,
        'USAGE_EXCEEDS_ISSUED',
      );
    }
    changed.set(line.partCode, { ...line, used: q });
  }
  return { ...req, lines: withLines(req, changed) };
}

/**
 * R-IN-3 unused parts come back physically first: the keeper posts what was counted at the
 * counter. Parts used on the work order never go back to stock: a return is at most
 * issued − used − returned per line (`RETURN_EXCEEDS_UNUSED`). Yields the RETURN document.
 */
export function returnUnused(
  req: Requisition,
  input: readonly PartQuantityInput[] | null | undefined,
  posting: Posting,
  now: Date,
): PostedRequisition {
  if (!HOLDING_PARTS.includes(req.status)) {
    throw conflict(
      `requisition ${req.id} is ${req.status}; only issued parts can come back`,
      'NOTHING_ISSUED',
    );
  }
  const posted = partQuantities(input, 'lines');
  const changed = new Map<string, RequisitionLine>();
  posted.forEach(({ partCode, quantity: q }, i) => {
    const line = lineOf(req, partCode, `lines.${i}.partCode`);
    if (q > unusedOf(line)) {
      throw conflict(
        `${partCode}: ${line.issued} issued, ${line.used} used, ${line.returned} returned; ${q} cannot come back`,
        'RETURN_EXCEEDS_UNUSED',
      );
    }
    changed.set(partCode, { ...line, returned: line.returned + q });
  });
  return {
    requisition: { ...req, lines: withLines(req, changed) },
    document: documentFor(req, 'RETURN', posted, posting, now),
  };
}

function documentFor(
  req: Requisition,
  type: 'ISSUE' | 'RETURN',
  lines: readonly { partCode: string; quantity: number }[],
  posting: Posting,
  now: Date,
): StockDocument {
  return parseStockDocument(
    { type, warehouseCode: req.warehouseCode, lines, ...posting, reference: req.id },
    now,
  );
}

export interface IssuedPart {
  partCode: string;
  issued: number;
  used: number;
  returned: number;
}

/** Parts issued, used and returned on a work order, summed over its requisitions, by part code. */
export function issuedPartsOf(requisitions: readonly Pick<Requisition, 'lines'>[]): IssuedPart[] {
  const byPart = new Map<string, IssuedPart>();
  for (const line of requisitions.flatMap((r) => r.lines)) {
    if (line.issued === 0) continue;
    const sum = byPart.get(line.partCode) ?? {
      partCode: line.partCode,
      issued: 0,
      used: 0,
      returned: 0,
    };
    sum.issued += line.issued;
    sum.used += line.used;
    sum.returned += line.returned;
    byPart.set(line.partCode, sum);
  }
  return [...byPart.values()].sort((a, b) => a.partCode.localeCompare(b.partCode));
}
