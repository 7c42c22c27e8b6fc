import { BusinessCalendar } from '@aftercare/calendar';
import {
  AppError,
  checkUuid,
  conflict,
  forbidden,
  invalidArgument,
  numberIn,
  oneOf,
  optionalText,
  requiredText,
} from '@aftercare/kit/domain';
import { Actor, hasRole } from './authority';
import { Month, localMonth, parseMonth } from './month';

/** R-PN-1: where a penalty comes from. */
export const PENALTY_SOURCES = [
  'COMPLAINT',
  'SLA_BREACH',
  'REPEAT_REPAIR',
  'TOOL_LOSS',
  'ARCHIVE_HANDOVER',
  'INSPECTION',
] as const;
export type PenaltySource = (typeof PENALTY_SOURCES)[number];

/** Rewards (best performer) share the ledger with penalties, with a positive sign (R-PN-2). */
export const LEDGER_KINDS = ['PENALTY', 'REWARD'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/**
 * From the `fromNthViolation`-th violation **of the rule's source** in a month a holder of `role`
 * pays double (seed: a sales advisor's 2nd *archive* violation of the month, not their 2nd of any kind).
 */
export interface DoublingRole {
  role: string;
  fromNthViolation: number;
}

/**
 * R-PN-1 a rule as data. `points` convert to money at the policy's point value; `fineFen` is a fixed
 * amount on top (for a reward: the bonus). Both magnitudes, never negative; the ledger signs them.
 */
export interface PenaltyRule {
  code: string;
  description: string;
  kind: LedgerKind;
  points: number;
  fineFen: number;
  source: PenaltySource;
  doublingRoles?: readonly DoublingRole[];
}

/** R-PN-2 escalation settings; the defaults are the seed figures. */
export interface PenaltyPolicy {
  /** 1 point = 2 yuan. */
  pointValueFen: number;
  /** From this violation in a month (5th) a violation costs at least `escalatedPoints` (5). */
  escalateFromNth: number;
  escalatedPoints: number;
  /** A violation not corrected within this many working days counts again (1). */
  correctionWorkingDays: number;
}

export const DEFAULT_PENALTY_POLICY: PenaltyPolicy = Object.freeze({
  pointValueFen: 200,
  escalateFromNth: 5,
  escalatedPoints: 5,
  correctionWorkingDays: 1,
});

const rule = (r: PenaltyRule): PenaltyRule => Object.freeze(r);

/**
 * Default rules from the seed rulebooks (扣2分/次; 档案 50 元/车次 with 销售顾问 doubling from the 2nd
 * and 服务顾问 from the 3rd violation; best 6S performer 100 元). The doubling roles are job positions
 * (`sales_advisor`, `service_advisor`), not login roles.
 */
export const DEFAULT_PENALTY_RULES: readonly PenaltyRule[] = Object.freeze([
  rule({
    code: 'VIOLATION',
    description: 'Violation of the service rules found in an inspection',
    kind: 'PENALTY',
    points: 2,
    fineFen: 0,
    source: 'INSPECTION',
  }),
  rule({
    code: 'COMPLAINT_SUBSTANTIATED',
    description: 'A customer complaint found true against the person responsible',
    kind: 'PENALTY',
    points: 2,
    fineFen: 0,
    source: 'COMPLAINT',
  }),
  rule({
    code: 'SLA_BREACH',
    description: 'Arrival or answer later than the SLA for personal reasons',
    kind: 'PENALTY',
    points: 2,
    fineFen: 0,
    source: 'SLA_BREACH',
  }),
  rule({
    code: 'REPEAT_REPAIR',
    description: 'The same fault repaired again within the repeat window',
    kind: 'PENALTY',
    points: 2,
    fineFen: 0,
    source: 'REPEAT_REPAIR',
  }),
  rule({
    code: 'TOOL_LOSS',
    description: 'Tool lost or damaged; the original price is charged on top',
    kind: 'PENALTY',
    points: 2,
    fineFen: 0,
    source: 'TOOL_LOSS',
  }),
  rule({
    code: 'ARCHIVE_HANDOVER_LATE',
    description: 'Archive handed over late or incomplete (per vehicle)',
    kind: 'PENALTY',
    points: 0,
    fineFen: 5000,
    source: 'ARCHIVE_HANDOVER',
    doublingRoles: Object.freeze([
      { role: 'sales_advisor', fromNthViolation: 2 },
      { role: 'service_advisor', fromNthViolation: 3 },
    ]),
  }),
  rule({
    code: 'BEST_PERFORMER',
    description: 'Best performer of the month',
    kind: 'REWARD',
    points: 0,
    fineFen: 10000,
    source: 'INSPECTION',
  }),
]);

export interface PenaltyRuleInput {
  code?: string | null;
  description?: string | null;
  kind?: string | null;
  points?: number | null;
  fineFen?: number | null;
  source?: string | null;
  doublingRoles?: readonly { role?: string | null; fromNthViolation?: number | null }[] | null;
}

/** R-PN-1: validates a rule an administrator edits; a rule costs points, a fine, or both. */
export function parsePenaltyRule(input: PenaltyRuleInput, field = 'rule'): PenaltyRule {
  const at = (name: string) => `${field}.${name}`;
  const code = requiredText(input.code, at('code'), 32);
  if (!/^[A-Z][A-Z0-9_]*$/.test(code))
    throw invalidArgument(
      `"${code}" is not a rule code (A-Z, 0-9, _)`,
      at('code'),
      'INVALID_VALUE',
    );
  const points = numberIn(input.points ?? 0, at('points'), { min: 0, max: 1000, integer: true });
  const fineFen = numberIn(input.fineFen ?? 0, at('fineFen'), {
    min: 0,
    max: 100_000_000,
    integer: true,
  });
  if (points === 0 && fineFen === 0)
    throw invalidArgument('a rule needs points, a fine or both', at('points'), 'REQUIRED');
  const doublingRoles = (input.doublingRoles ?? []).map((d, i) => ({
    role: requiredText(d.role, at(`doublingRoles.${i}.role`), 32),
    fromNthViolation: numberIn(d.fromNthViolation, at(`doublingRoles.${i}.fromNthViolation`), {
      min: 1,
      max: 100,
      integer: true,
    }),
  }));
  return {
    code,
    description: requiredText(input.description, at('description'), 300),
    kind: oneOf(LEDGER_KINDS, input.kind, at('kind'), 'PENALTY'),
    points,
    fineFen,
    source: oneOf(PENALTY_SOURCES, input.source, at('source')),
    ...(doublingRoles.length > 0 ? { doublingRoles } : {}),
  };
}

/** The person a violation was recorded against (their job position and team lead). */
export interface StaffRef {
  id: string;
  role: string;
  teamLeadId: string | null;
}

export interface AssessmentInput {
  rule: PenaltyRule;
  staff: StaffRef;
  /** False when no direct culprit was found: the team lead carries the penalty (R-PN-2). */
  culpritKnown: boolean;
  /** The team lead's position, for role doubling when the lead carries the penalty. */
  teamLeadRole?: string | null;
  /** The carrier's violations earlier in the same business month (see `countViolationsBefore`). */
  violationsThisMonth: number;
  /**
   * Of those, the ones from the rule's source (role doubling counts these); defaults to
   * `violationsThisMonth`.
   */
  sourceViolationsThisMonth?: number;
  /** The complaint repeats an earlier one on the same issue (complaint rules only): doubled. */
  repeatedComplaint?: boolean;
  /** Restitution on top, e.g. a lost tool's original price; never escalated or doubled. */
  chargeFen?: number;
  policy?: PenaltyPolicy;
}

export interface Assessment {
  ruleCode: string;
  source: PenaltySource;
  kind: LedgerKind;
  staffId: string;
  points: number;
  fineFen: number;
  /** The violation's number in the carrier's month; null for a reward. */
  nthViolation: number | null;
  explanation: string[];
}

/** Who carries a violation: the culprit, or without one the team lead. FAILED_PRECONDITION `NO_CARRIER`. */
export function penaltyCarrier(
  staff: StaffRef,
  culpritKnown: boolean,
): { staffId: string; teamLead: boolean } {
  if (culpritKnown) return { staffId: staff.id, teamLead: false };
  if (!staff.teamLeadId) {
    throw conflict('there is no culprit and no team lead to carry the penalty', 'NO_CARRIER');
  }
  return { staffId: staff.teamLeadId, teamLead: true };
}

/**
 * R-PN-2: what one violation costs (or a reward brings). Points: the rule's, at least
 * `escalatedPoints` from the `escalateFromNth`-th violation of the month. Money: points × point value
 * + the rule's fine, doubled for a doubling role from its threshold, doubled again (points too) for a
 * repeated complaint, plus any restitution. The explanation lists each step for the staff member.
 */
export function assessPenalty(input: AssessmentInput): Assessment {
  const { rule: r, staff } = input;
  const policy = input.policy ?? DEFAULT_PENALTY_POLICY;
  const chargeFen = numberIn(input.chargeFen ?? 0, 'chargeFen', {
    min: 0,
    max: 100_000_000,
    integer: true,
  });
  const base = { ruleCode: r.code, source: r.source, kind: r.kind };
  if (r.kind === 'REWARD') {
    if (!input.culpritKnown)
      throw invalidArgument('a reward goes to a named person', 'culpritKnown', 'REQUIRED');
    const fineFen = r.points * policy.pointValueFen + r.fineFen;
    return {
      ...base,
      staffId: staff.id,
      points: r.points,
      fineFen,
      nthViolation: null,
      explanation: [`${r.code}: reward of ${r.points} points and ${yuan(fineFen)}`],
    };
  }
  if (input.repeatedComplaint && r.source !== 'COMPLAINT') {
    throw invalidArgument(
      'only a complaint finding can be a repeated complaint',
      'repeatedComplaint',
      'NOT_A_COMPLAINT',
    );
  }
  const carrier = penaltyCarrier(staff, input.culpritKnown);
  const role = carrier.teamLead ? (input.teamLeadRole ?? null) : staff.role;
  const nth =
    numberIn(input.violationsThisMonth, 'violationsThisMonth', {
      min: 0,
      max: 10_000,
      integer: true,
    }) + 1;
  const nthOfSource =
    numberIn(input.sourceViolationsThisMonth ?? nth - 1, 'sourceViolationsThisMonth', {
      min: 0,
      max: nth - 1,
      integer: true,
    }) + 1;
  const explanation = [`${r.code}: violation no. ${nth} this month`];
  if (carrier.teamLead) explanation.push('no direct culprit: the team lead carries it');

  let points = r.points;
  explanation.push(`${points} points`);
  if (points > 0 && nth >= policy.escalateFromNth && points < policy.escalatedPoints) {
    points = policy.escalatedPoints;
    explanation.push(`from violation no. ${policy.escalateFromNth} in a month: ${points} points`);
  }
  let fineFen = points * policy.pointValueFen + r.fineFen;
  explanation.push(
    `${points} × ${yuan(policy.pointValueFen)} + fine ${yuan(r.fineFen)} = ${yuan(fineFen)}`,
  );
  const doubling = r.doublingRoles?.find(
    (d) => d.role === role && nthOfSource >= d.fromNthViolation,
  );
  if (doubling) {
    fineFen *= 2;
    explanation.push(
      `${doubling.role} from ${r.source} violation no. ${doubling.fromNthViolation} (this is no. ${nthOfSource}): fine doubled to ${yuan(fineFen)}`,
    );
  }
  if (input.repeatedComplaint) {
    points *= 2;
    fineFen *= 2;
    explanation.push(
      `repeated complaint on the same issue: doubled to ${points} points, ${yuan(fineFen)}`,
    );
  }
  if (chargeFen > 0) {
    fineFen += chargeFen;
    explanation.push(`plus ${yuan(chargeFen)} charged (restitution): ${yuan(fineFen)}`);
  }
  return { ...base, staffId: carrier.staffId, points, fineFen, nthViolation: nth, explanation };
}

const yuan = (fen: number) => `${(fen / 100).toFixed(2)} yuan`;

/**
 * R-PN-2 "not corrected within 1 working day counts again, and so on until corrected": the instants
 * at which the violation counted again — each `correctionWorkingDays` working days after it was
 * noted that passed without correction. A correction exactly at such an instant is in time.
 */
export function uncorrectedRecounts(
  notedAt: Date,
  correctedAt: Date | null,
  now: Date,
  calendar: BusinessCalendar,
  policy: PenaltyPolicy = DEFAULT_PENALTY_POLICY,
): Date[] {
  const until = (correctedAt ?? now).getTime();
  const recounts: Date[] = [];
  // A year of working days bounds the walk; a violation open that long is a data error, not a fine.
  for (let k = 1; k <= 260; k += 1) {
    const due = calendar.addWorkingDays(notedAt, k * policy.correctionWorkingDays);
    if (until <= due.getTime()) break;
    recounts.push(due);
  }
  return recounts;
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
export const PENALTY_DECIDER_ROLES: readonly string[] = Object.freeze(['manager']);

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
  ctx: { actor: Actor; now: Date },
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
export function allowedPenaltyActions(entry: LedgerEntry, actor?: Actor): PenaltyActionType[] {
  return PENALTY_ACTION_TYPES.filter(
    (type) =>
      isPenaltyActionLegal(entry, type) && (!actor || penaltyDenial(entry, type, actor) === null),
  );
}

const isPenaltyActionLegal = (entry: LedgerEntry, type: PenaltyActionType): boolean =>
  PENALTY_MOVES[type].from.includes(entry.status) &&
  !(type === 'appeal' && entry.kind === 'REWARD');

function penaltyDenial(entry: LedgerEntry, type: PenaltyActionType, actor: Actor): AppError | null {
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
  return hasRole(actor, PENALTY_DECIDER_ROLES)
    ? null
    : forbidden(`only ${PENALTY_DECIDER_ROLES.join(', ')} may ${type} a ledger entry`);
}

/** Entries payroll counts: confirmed, and upheld on appeal. An undecided appeal waits. */
const PAYABLE: readonly PenaltyStatus[] = ['CONFIRMED', 'UPHELD'];

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

/** R-PN-3: one payroll row per staff member; all figures positive except the nets. */
export interface PayrollRow {
  staffId: string;
  penaltyPoints: number;
  finesFen: number;
  rewardPoints: number;
  rewardsFen: number;
  netPoints: number;
  netFen: number;
  entries: number;
}

/** R-PN-3: the month's payable entries per staff member (by `occurredAt` in the business month), sorted by staff id. */
export function monthlyExport(
  entries: readonly LedgerEntry[],
  month: Month,
  calendar: BusinessCalendar,
): PayrollRow[] {
  const wanted = parseMonth(month);
  const rows = new Map<string, PayrollRow>();
  for (const e of entries) {
    if (!PAYABLE.includes(e.status) || localMonth(e.occurredAt, calendar) !== wanted) continue;
    const row = rows.get(e.staffId) ?? {
      staffId: e.staffId,
      penaltyPoints: 0,
      finesFen: 0,
      rewardPoints: 0,
      rewardsFen: 0,
      netPoints: 0,
      netFen: 0,
      entries: 0,
    };
    if (e.kind === 'PENALTY') {
      row.penaltyPoints -= e.points;
      row.finesFen -= e.amountFen;
    } else {
      row.rewardPoints += e.points;
      row.rewardsFen += e.amountFen;
    }
    row.netPoints += e.points;
    row.netFen += e.amountFen;
    row.entries += 1;
    rows.set(e.staffId, row);
  }
  return [...rows.values()].sort((a, b) => (a.staffId < b.staffId ? -1 : 1));
}
