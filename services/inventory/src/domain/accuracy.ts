import { invalidArgument } from '@aftercare/kit/domain';
import { Part } from './catalogue';
import { DocumentLine, OnHand, parseStockKey } from './ledger';
import {
  instant,
  notInFuture,
  optionalText,
  parseCode,
  parseQuantity,
  parseStaffId,
} from './values';

/** An ISSUE document as posted: what accuracy is measured over. */
export interface PostedIssue {
  /** Id of the posted ISSUE document. */
  id: string;
  at: Date;
  lines: readonly DocumentLine[];
}

/** R-IN-5 a wrong part went out on an issue and was put right. */
export interface WrongPartCorrection {
  issueId: string;
  wrongPartCode: string;
  rightPartCode: string;
  quantity: number;
  correctedBy: string;
  correctedAt: Date;
  note: string | null;
}

export interface WrongPartCorrectionInput {
  wrongPartCode?: string | null;
  rightPartCode?: string | null;
  quantity?: number | null;
  correctedBy?: string | null;
  correctedAt?: Date | string | null;
  note?: string | null;
}

/**
 * R-IN-5 records a wrong-part correction against the issue it happened on: the wrong part must
 * be on that issue, in no more than the quantity issued, and the right part must differ. (The
 * stock itself is put right with a RETURN of the wrong part and an ISSUE of the right one.)
 */
export function recordWrongPartCorrection(
  issue: PostedIssue,
  input: WrongPartCorrectionInput,
  now: Date,
): WrongPartCorrection {
  const wrongPartCode = parseCode(input.wrongPartCode, 'wrongPartCode');
  const issued = issue.lines.find((l) => l.partCode === wrongPartCode);
  if (!issued) {
    throw invalidArgument(
      `${wrongPartCode} was not issued on ${issue.id}`,
      'wrongPartCode',
      'NOT_ON_ISSUE',
    );
  }
  const rightPartCode = parseCode(input.rightPartCode, 'rightPartCode');
  if (rightPartCode === wrongPartCode) {
    throw invalidArgument(
      'the right part differs from the wrong one',
      'rightPartCode',
      'SAME_PART',
    );
  }
  const q = parseQuantity(input.quantity ?? issued.quantity, 'quantity');
  if (q > issued.quantity) {
    throw invalidArgument(
      `only ${issued.quantity} ${wrongPartCode} went out on ${issue.id}`,
      'quantity',
      'EXCEEDS_ISSUED',
    );
  }
  const correctedAt = notInFuture(
    input.correctedAt ? instant(input.correctedAt, 'correctedAt') : now,
    now,
    'correctedAt',
  );
  if (correctedAt.getTime() < issue.at.getTime()) {
    throw invalidArgument('a correction comes after the issue', 'correctedAt', 'BEFORE_ISSUE');
  }
  return {
    issueId: issue.id,
    wrongPartCode,
    rightPartCode,
    quantity: q,
    correctedBy: parseStaffId(input.correctedBy, 'correctedBy'),
    correctedAt,
    note: optionalText(input.note, 'note', 500),
  };
}

/** Seed target of the parts issue accuracy KPI (配件出货正确率). */
export const DEFAULT_ISSUE_ACCURACY_TARGET = 0.98;

export interface IssueAccuracy {
  issues: number;
  correct: number;
  wrong: number;
  /** correct / issues; null when nothing was issued in the period. */
  accuracy: number | null;
  /** Null with no issues: an empty period neither meets nor misses the target. */
  meetsTarget: boolean | null;
}

/**
 * R-IN-5 issue accuracy over [from, to): an issue counts wrong when any correction names it,
 * whenever the correction was made (a mistake found next month still spoils this month's issue).
 */
export function issueAccuracy(
  issues: readonly Pick<PostedIssue, 'id' | 'at'>[],
  corrections: readonly Pick<WrongPartCorrection, 'issueId'>[],
  period: { from: Date; to: Date },
  target = DEFAULT_ISSUE_ACCURACY_TARGET,
): IssueAccuracy {
  const inPeriod = issues.filter(
    (i) => i.at.getTime() >= period.from.getTime() && i.at.getTime() < period.to.getTime(),
  );
  const corrected = new Set(corrections.map((c) => c.issueId));
  const wrong = inPeriod.filter((i) => corrected.has(i.id)).length;
  const correct = inPeriod.length - wrong;
  const accuracy = inPeriod.length === 0 ? null : correct / inPeriod.length;
  return {
    issues: inPeriod.length,
    correct,
    wrong,
    accuracy,
    meetsTarget: accuracy === null ? null : accuracy >= target,
  };
}

export interface LowStockAlert {
  warehouseCode: string;
  partCode: string;
  onHand: number;
  reorderPoint: number;
  critical: boolean;
}

/**
 * R-IN-5 parts whose on-hand fell to or below the reorder point with this change: it fires on
 * the crossing, not on every later move while stock stays low (so one reorder, not a flood).
 * `parts` is keyed by part code; parts not in the catalogue are ignored.
 */
export function lowStockAlerts(
  before: OnHand,
  after: OnHand,
  parts: ReadonlyMap<string, Pick<Part, 'reorderPoint' | 'critical'>>,
): LowStockAlert[] {
  const alerts: LowStockAlert[] = [];
  for (const [key, onHand] of after) {
    const { warehouseCode, partCode } = parseStockKey(key);
    const part = parts.get(partCode);
    if (!part) continue;
    const was = before.get(key) ?? 0;
    if (was > part.reorderPoint && onHand <= part.reorderPoint) {
      alerts.push({
        warehouseCode,
        partCode,
        onHand,
        reorderPoint: part.reorderPoint,
        critical: part.critical,
      });
    }
  }
  return alerts;
}
