import { BusinessCalendar } from '@aftercare/calendar';
import {
  AppError,
  checkUuid,
  conflict,
  forbidden,
  hasRole,
  optionalText,
  requiredText,
  type Role,
} from '@aftercare/kit/domain';
import { localMonth } from '../month';
import type { Assessment } from './assessment';
import type { LedgerKind, PenaltySource } from './rules';

/** Who acts on a ledger line; structurally the kit's `Identity`. */
export interface LedgerActor {
  userId: string;
  roles: readonly string[];
}

/** R-PN-3 lifecycle. */
export const PENALTY_STATUSES = ['PROPOSED', 'CONFIRMED', 'APPEALED', 'UPHELD', 'VOID'] as const;
export type PenaltyStatus = (typeof PENALTY_STATUSES)[number];

export const PENALTY_ACTION_TYPES = ['confirm', 'appeal', 'uphold', 'void'] as const;
export type PenaltyActionType = (typeof PENALTY_ACTION_TYPES)[number];

export type PenaltyAction =
  | { type: 'confirm' }
  | { type: 'appeal'; reason?: string | null }
  | { type: 'uphold'; reason?: string | null }
  | { type: 'void'; reason?: string | null };

/** Who confirms penalties and decides appeals (admin too). */
export const PENALTY_DECIDER_ROLES: readonly Role[] = Object.freeze(['manager']);

/** One ledger line: points and money signed, negative for a penalty, positive for a reward. */
export interface LedgerEntry {
  id: string;
  staffId: string;
  ruleCode: string;
  source: PenaltySource;
  kind: LedgerKind;
  points: number;
  amountFen: number;
  nthViolation: number | null;
  explanation: string[];
  /** When the violation happened (or the reward was earned): decides the payroll month. */
  occurredAt: Date;
  /** What it stems from: a complaint, work order, tool loan … id. */
  reference: string | null;
  status: PenaltyStatus;
  proposedBy: string;
  confirmedAt: Date | null;
  appealReason: string | null;
  /** The last decision: confirm, uphold or void. */
  decidedBy: string | null;
  decisionReason: string | null;
}

export interface ProposalInput {
  occurredAt: Date;
  reference?: string | null;
  proposedBy: string;
}

/** R-PN-3 step 1: a proposed ledger line from an assessment. */
export function proposeEntry(
  id: string,
  assessment: Assessment,
  input: ProposalInput,
): LedgerEntry {
  const sign = assessment.kind === 'PENALTY' ? -1 : 1;
  return {
    id: checkUuid(id, 'id'),
    staffId: assessment.staffId,
    ruleCode: assessment.ruleCode,
    source: assessment.source,
    kind: assessment.kind,
    // `|| 0` keeps a zero from becoming -0.
    points: sign * assessment.points || 0,
    amountFen: sign * assessment.fineFen || 0,
    nthViolation: assessment.nthViolation,
    explanation: [...assessment.explanation],
    occurredAt: input.occurredAt,
    reference: optionalText(input.reference, 'reference', 64),
    status: 'PROPOSED',
    proposedBy: input.proposedBy,
    confirmedAt: null,
    appealReason: null,
    decidedBy: null,
    decisionReason: null,
  };
}

const PENALTY_MOVES: Record<
  PenaltyActionType,
  { from: readonly PenaltyStatus[]; to: PenaltyStatus }
> = {
  confirm: { from: ['PROPOSED'], to: 'CONFIRMED' },
  appeal: { from: ['CONFIRMED'], to: 'APPEALED' },
  uphold: { from: ['APPEALED'], to: 'UPHELD' },
  void: { from: ['PROPOSED', 'APPEALED'], to: 'VOID' },
};

export interface PenaltyTransitionResult {
  entry: LedgerEntry;
  /** Staff to tell: on confirmation and on the decision of an appeal (R-PN-3). */
  notify: string[];
}

/**
 * R-PN-3: PROPOSED → CONFIRMED → (APPEALED → UPHELD | VOID), or PROPOSED → VOID. A manager decides,
 * never about their own entry (`SELF_HANDLING`); only the staff member appeals, and only a penalty.
 */
export function penaltyTransition(
  entry: LedgerEntry,
  action: PenaltyAction,
  ctx: { actor: LedgerActor; now: Date },
): PenaltyTransitionResult {
  if (!isPenaltyActionLegal(entry, action.type)) {
    throw conflict(
      `cannot ${action.type} a ${entry.kind.toLowerCase()} that is ${entry.status}`,
      'ILLEGAL_TRANSITION',
    );
  }
  const denied = penaltyDenial(entry, action.type, ctx.actor);
  if (denied) throw denied;
  const to = PENALTY_MOVES[action.type].to;
  const next: LedgerEntry = { ...entry, status: to };
  if (action.type === 'appeal') {
    next.appealReason = requiredText(action.reason, 'reason', 1000);
  } else {
    next.decidedBy = ctx.actor.userId;
    next.decisionReason =
      action.type === 'void'
        ? requiredText(action.reason, 'reason', 1000)
        : action.type === 'uphold'
          ? optionalText(action.reason, 'reason', 1000)
          : null;
    if (action.type === 'confirm') next.confirmedAt = ctx.now;
  }
  const told = action.type === 'confirm' || entry.status === 'APPEALED';
  return { entry: next, notify: told ? [entry.staffId] : [] };
}

/** Lifecycle actions legal now; with an actor, only those this actor may take. */
export function allowedPenaltyActions(
  entry: LedgerEntry,
  actor?: LedgerActor,
): PenaltyActionType[] {
  return PENALTY_ACTION_TYPES.filter(
    (type) =>
      isPenaltyActionLegal(entry, type) && (!actor || penaltyDenial(entry, type, actor) === null),
  );
}

const isPenaltyActionLegal = (entry: LedgerEntry, type: PenaltyActionType): boolean =>
  PENALTY_MOVES[type].from.includes(entry.status) &&
  !(type === 'appeal' && entry.kind === 'REWARD');

function penaltyDenial(
  entry: LedgerEntry,
  type: PenaltyActionType,
  actor: LedgerActor,
): AppError | null {
  if (type === 'appeal') {
    return actor.userId === entry.staffId
      ? null
      : forbidden('only the staff member concerned may appeal');
  }
  if (actor.userId === entry.staffId) {
    return new AppError('PERMISSION_DENIED', 'nobody decides about their own ledger entry', {
      reason: 'SELF_HANDLING',
    });
  }
  return hasRole(actor, ...PENALTY_DECIDER_ROLES)
    ? null
    : forbidden(`only ${PENALTY_DECIDER_ROLES.join(', ')} may ${type} a ledger entry`);
}

/**
 * Violations of `staffId` in the business month of `at`, before `at`: every penalty not voided
 * (a proposed or appealed one still counts until voided), for `AssessmentInput.violationsThisMonth`;
 * with `source`, only those from it (`sourceViolationsThisMonth`, for role doubling).
 */
export function countViolationsBefore(
  entries: readonly LedgerEntry[],
  staffId: string,
  at: Date,
  calendar: BusinessCalendar,
  source?: PenaltySource,
): number {
  const month = localMonth(at, calendar);
  return entries.filter(
    (e) =>
      e.staffId === staffId &&
      e.kind === 'PENALTY' &&
      (!source || e.source === source) &&
      e.status !== 'VOID' &&
      e.occurredAt < at &&
      localMonth(e.occurredAt, calendar) === month,
  ).length;
}
