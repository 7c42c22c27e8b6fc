import { BusinessCalendar } from '@aftercare/calendar';
import { conflict, invalidArgument, numberIn } from '@aftercare/kit/domain';
import {
  DEFAULT_PENALTY_POLICY,
  type LedgerKind,
  type PenaltyPolicy,
  type PenaltyRule,
  type PenaltySource,
} from './rules';

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
