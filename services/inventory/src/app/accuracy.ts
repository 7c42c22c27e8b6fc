import {
  changeOneIn,
  conflict,
  createOnce,
  type EntityManager,
  eventMessage,
  type Identity,
  idempotencyKey,
  instant,
  invalidArgument,
  requireRole,
  type Role,
  uuidv7,
} from '@aftercare/kit';
import { events } from '@aftercare/events';
import { StockDocumentRecord, WrongPartCorrectionRecord } from '../db/entities';
import {
  DEFAULT_ISSUE_ACCURACY_TARGET,
  type IssueAccuracy,
  issueAccuracy,
  recordWrongPartCorrection,
  type WrongPartCorrectionInput,
} from '../domain';
import type { InventoryDeps } from './deps';
import { CAN_POST } from './ledger';

export const ACCURACY_READERS: Role[] = ['warehouse', 'workshop', 'manager', 'auditor', 'service'];
/** Longest period one accuracy question may span (a typo guard: ten years). */
const MAX_PERIOD_MS = 10 * 366 * 24 * 3600_000;

/**
 * R-IN-5: records that a wrong part went out on an ISSUE document (who noticed, what went out,
 * what should have). The issue row is locked so one mistake is recorded once
 * (`CORRECTION_EXISTS`); the unique (issue, wrong part) key backs that up. A repeat with the same
 * idempotency key gets the recorded correction instead.
 */
export async function correctWrongPart(
  deps: InventoryDeps,
  caller: Identity | null,
  issueId: string,
  input: Omit<WrongPartCorrectionInput, 'correctedBy'> & { idempotencyKey?: string | null },
): Promise<WrongPartCorrectionRecord> {
  const me = requireRole(caller, ...CAN_POST);
  const once = {
    operation: 'inventory.recordWrongPartCorrection',
    caller: me,
    key: idempotencyKey(input.idempotencyKey),
    request: { ...input, issueId },
    load: (em: EntityManager, id: string) => em.findOneOrFail(WrongPartCorrectionRecord, { id }),
  };
  let recorded: WrongPartCorrectionRecord | undefined;
  return createOnce(deps.orm, once, async (tx) => {
    await changeOneIn(tx, deps.events, {
      entity: StockDocumentRecord,
      label: 'IssueDocument',
      id: issueId,
      field: 'issueId',
      visible: (document) => document.type === 'ISSUE',
      apply: async (issue, em) => {
        const correction = recordWrongPartCorrection(
          { id: issue.id, at: issue.postedAt, lines: issue.lines },
          { ...input, correctedBy: me.userId },
          deps.now(),
        );
        const existing = await em.count(WrongPartCorrectionRecord, {
          issueId: issue.id,
          wrongPartCode: correction.wrongPartCode,
        });
        if (existing > 0) {
          throw conflict(
            `the wrong ${correction.wrongPartCode} on ${issue.id} is already recorded`,
            'CORRECTION_EXISTS',
          );
        }
        recorded = Object.assign(new WrongPartCorrectionRecord(), {
          id: uuidv7(),
          ...correction,
          warehouseCode: issue.warehouseCode,
          issuedAt: issue.postedAt,
        });
        const corrected = eventMessage(events.inventory.wrongPartCorrected, {
          correctionId: recorded.id,
          issueId: issue.id,
          warehouseCode: issue.warehouseCode,
          wrongPartCode: recorded.wrongPartCode,
          rightPartCode: recorded.rightPartCode,
          quantity: recorded.quantity,
          correctedBy: recorded.correctedBy,
          at: recorded.correctedAt.toISOString(),
        });
        return { records: [recorded], events: [corrected] };
      },
    });
    return recorded!;
  });
}

export interface AccuracyQuery {
  from: Date | string;
  to: Date | string;
  warehouseCode?: string | null;
}

export interface IssueAccuracyReport extends IssueAccuracy {
  from: Date;
  to: Date;
  warehouseCode: string | null;
  target: number;
  corrections: WrongPartCorrectionRecord[];
}

/**
 * R-IN-5 KPI 配件出货正确率 = correct issues / issues over [from, to), for one warehouse or all.
 * An issue counts wrong when any correction names it, whenever the correction was made.
 */
export async function accuracyOf(
  em: EntityManager,
  caller: Identity | null,
  query: AccuracyQuery,
  target?: number,
): Promise<IssueAccuracyReport> {
  requireRole(caller, ...ACCURACY_READERS);
  const from = instant(query.from, 'from');
  const to = instant(query.to, 'to');
  if (to.getTime() <= from.getTime() || to.getTime() - from.getTime() > MAX_PERIOD_MS) {
    throw invalidArgument('the period runs forwards, at most ten years', 'to', 'INVALID_PERIOD');
  }
  const warehouseCode = query.warehouseCode?.trim().toUpperCase() || null;
  const where = warehouseCode ? { warehouseCode } : {};
  const issues = await em.find(
    StockDocumentRecord,
    { ...where, type: 'ISSUE', postedAt: { $gte: from, $lt: to } },
    { fields: ['id', 'postedAt'] },
  );
  const corrections = await em.find(
    WrongPartCorrectionRecord,
    { ...where, issuedAt: { $gte: from, $lt: to } },
    { orderBy: { correctedAt: 'asc' } },
  );
  const result = issueAccuracy(
    issues.map((i) => ({ id: i.id, at: i.postedAt })),
    corrections,
    { from, to },
    target,
  );
  return {
    ...result,
    from,
    to,
    warehouseCode,
    target: target ?? DEFAULT_ISSUE_ACCURACY_TARGET,
    corrections,
  };
}
