import type { PenaltyProposed } from '@aftercare/events';
import { events } from '@aftercare/events';
import {
  AppError,
  createOnce,
  type EntityManager,
  type Identity,
  idempotencyKey,
  instant,
  invalidArgument,
  notFound,
  notInFuture,
  optionalText,
  requireRole,
  requiredText,
  uuidv7,
} from '@aftercare/kit';
import { PenaltyRecord, PenaltyRuleRecord } from '../../db/penalties';
import {
  type StaffRef,
  assessPenalty,
  countViolationsBefore,
  penaltyCarrier,
  proposeEntry,
} from '../../domain/penalties';
import { localMonth, monthRange } from '../../domain/month';
import { CAN_PROPOSE_PENALTIES } from './access';
import type { PenaltyDeps } from './deps';
import { toRule } from './rules';

export interface Proposal {
  ruleCode: string;
  /** The person the violation was recorded against (or the reward goes to). */
  staffId: string;
  /** False: no direct culprit, `staffId`'s team lead carries it (R-PN-2). */
  culpritKnown: boolean;
  occurredAt: Date;
  reference: string | null;
  /** Names the fact; unique in the ledger, so the same fact never costs twice. */
  sourceKey: string;
  proposedBy: string;
  repeatedComplaint?: boolean;
  chargeFen?: number;
  correctionRequired?: boolean;
  recountOfId?: string | null;
}

/**
 * R-PN-2/R-PN-3: proposes one ledger line in `em`'s transaction, or returns the one already
 * proposed for the same `sourceKey`. The carrier's violations are counted under a per-carrier
 * transaction lock so two proposals at once never get the same number in the month.
 */
export async function proposePenaltyIn(
  em: EntityManager,
  deps: PenaltyDeps,
  p: Proposal,
): Promise<PenaltyRecord> {
  return (await proposeOnce(em, deps, p)).record;
}

/** Like `proposePenaltyIn`, saying whether this call created the line. */
export async function proposeOnce(
  em: EntityManager,
  deps: PenaltyDeps,
  p: Proposal,
): Promise<{ record: PenaltyRecord; created: boolean }> {
  // Same fact proposed at once (two scheduler replicas, an event and its re-delivery): the second
  // waits here until the first commits, then finds its line.
  await em.execute('SELECT pg_advisory_xact_lock(hashtext(?))', [`penalty-source:${p.sourceKey}`]);
  const existing = await em.findOne(PenaltyRecord, { sourceKey: p.sourceKey });
  if (existing) return { record: existing, created: false };
  const ruleRecord = await em.findOne(PenaltyRuleRecord, { code: p.ruleCode });
  if (!ruleRecord) throw notFound('PenaltyRule', p.ruleCode);
  // Only a violation is corrected; a reward "not corrected" would pay out again every working day.
  if (p.correctionRequired && ruleRecord.kind === 'REWARD') {
    throw invalidArgument(
      'a reward has nothing to correct',
      'correctionRequired',
      'NOT_A_VIOLATION',
    );
  }
  const staff = await staffRef(deps, p.staffId);
  const carrier = penaltyCarrier(staff, p.culpritKnown);
  const teamLead = carrier.teamLead ? await staffRef(deps, carrier.staffId) : null;
  await em.execute('SELECT pg_advisory_xact_lock(hashtext(?))', [`penalty:${carrier.staffId}`]);
  const { from, to } = monthRange(localMonth(p.occurredAt, deps.calendar), deps.calendar);
  const month = await em.find(PenaltyRecord, {
    staffId: carrier.staffId,
    occurredAt: { $gte: from, $lt: to },
  });
  const assessment = assessPenalty({
    rule: toRule(ruleRecord),
    staff,
    culpritKnown: p.culpritKnown,
    teamLeadRole: teamLead?.role ?? null,
    violationsThisMonth: countViolationsBefore(month, carrier.staffId, p.occurredAt, deps.calendar),
    sourceViolationsThisMonth: countViolationsBefore(
      month,
      carrier.staffId,
      p.occurredAt,
      deps.calendar,
      ruleRecord.source,
    ),
    repeatedComplaint: p.repeatedComplaint ?? false,
    chargeFen: p.chargeFen ?? 0,
    policy: deps.penaltyPolicy,
  });
  const entry = proposeEntry(uuidv7(), assessment, {
    occurredAt: p.occurredAt,
    reference: p.reference,
    proposedBy: p.proposedBy,
  });
  const now = deps.now();
  const record = Object.assign(new PenaltyRecord(), {
    ...entry,
    sourceKey: p.sourceKey,
    correctionRequired: p.correctionRequired ?? false,
    correctedAt: null,
    recountOfId: p.recountOfId ?? null,
    createdAt: now,
    updatedAt: now,
  });
  em.persist(record);
  await em.flush();
  deps.events.publish(
    em,
    events.complaint.penaltyProposed,
    record.id,
    penaltyFacts(record) satisfies PenaltyProposed,
  );
  return { record, created: true };
}

/** Position and team lead from the roster; someone not on it has neither. */
async function staffRef(deps: PenaltyDeps, id: string): Promise<StaffRef> {
  const [found] = await deps.workOrders.staff([id], deps.serviceIdentity);
  return { id, role: found?.position ?? '', teamLeadId: found?.teamLeadId ?? null };
}

export const penaltyFacts = (r: PenaltyRecord): PenaltyProposed => ({
  penaltyId: r.id,
  staffId: r.staffId,
  ruleCode: r.ruleCode,
  source: r.source,
  kind: r.kind,
  points: r.points,
  amountFen: r.amountFen,
  nthViolation: r.nthViolation,
  occurredAt: r.occurredAt.toISOString(),
  reference: r.reference,
  status: r.status,
});

/**
 * What the ledger needs to know of a complaint investigation, and all it knows of complaints: the
 * complaint service hands this over when an investigation is submitted.
 */
export interface ComplaintFinding {
  complaintId: string;
  receivedAt: Date;
  /** It repeats an earlier complaint on the same issue (R-PN-2 doubles it). */
  repeated: boolean;
  serviceCaused: boolean;
  responsibleStaffIds: readonly string[];
  /**
   * Asked only when nobody was named: the team member whose team lead carries the penalty, or
   * null when the complaint concerns nobody on the team.
   */
  teamMember(): Promise<string | null>;
}

/**
 * R-PN-1 "complaint findings": an investigation that found our service responsible proposes
 * COMPLAINT_SUBSTANTIATED for each responsible person, doubled for a repeated complaint. With no one
 * named (no direct culprit, R-PN-2) the team lead of the finding's team member carries it. A team
 * member without a team lead on the roster leaves the penalty to a manager (`noCarrier`) rather
 * than blocking the investigation, which has its own deadline.
 */
export async function proposeComplaintPenalties(
  em: EntityManager,
  deps: PenaltyDeps,
  finding: ComplaintFinding,
  proposedBy: string,
): Promise<{ ids: string[]; noCarrier: string | null }> {
  if (!finding.serviceCaused) return { ids: [], noCarrier: null };
  const base = {
    ruleCode: 'COMPLAINT_SUBSTANTIATED',
    occurredAt: finding.receivedAt,
    reference: finding.complaintId,
    proposedBy,
    repeatedComplaint: finding.repeated,
  };
  const ids: string[] = [];
  for (const staffId of finding.responsibleStaffIds) {
    const p = {
      ...base,
      staffId,
      culpritKnown: true,
      sourceKey: `COMPLAINT:${finding.complaintId}:${staffId}`,
    };
    ids.push((await proposePenaltyIn(em, deps, p)).id);
  }
  if (ids.length > 0) return { ids, noCarrier: null };
  const member = await finding.teamMember();
  if (!member) return { ids, noCarrier: null };
  try {
    const p = {
      ...base,
      staffId: member,
      culpritKnown: false,
      sourceKey: `COMPLAINT:${finding.complaintId}:team-lead-of:${member}`,
    };
    ids.push((await proposePenaltyIn(em, deps, p)).id);
    return { ids, noCarrier: null };
  } catch (e) {
    // Thrown before anything was written, so the transaction goes on.
    if (e instanceof AppError && e.reason === 'NO_CARRIER') return { ids, noCarrier: member };
    throw e;
  }
}

export interface ManualProposalInput {
  ruleCode?: string | null;
  staffId?: string | null;
  culpritKnown?: boolean | null;
  occurredAt?: string | Date | null;
  /** What it stems from (vehicle / archive number, inspection sheet …). */
  reference?: string | null;
  /** Names the fact so proposing it twice is harmless; default: a fresh one. */
  sourceRef?: string | null;
  correctionRequired?: boolean | null;
  idempotencyKey?: string | null;
}

/**
 * A penalty or reward proposed by hand: inspection findings, late archive handover, best performer.
 * With an idempotency key a repeat returns the line proposed the first time.
 */
export async function proposePenalty(
  deps: PenaltyDeps,
  caller: Identity | null,
  input: ManualProposalInput,
): Promise<PenaltyRecord> {
  const me = requireRole(caller, ...CAN_PROPOSE_PENALTIES);
  const now = deps.now();
  const ruleCode = requiredText(input.ruleCode, 'ruleCode', 32);
  const staffId = requiredText(input.staffId, 'staffId', 64);
  const occurredAt = notInFuture(
    input.occurredAt ? instant(input.occurredAt, 'occurredAt') : now,
    now,
    'occurredAt',
  );
  const sourceRef = optionalText(input.sourceRef, 'sourceRef', 100) ?? uuidv7();
  const once = {
    operation: 'complaint.proposePenalty',
    caller: me,
    key: idempotencyKey(input.idempotencyKey),
    request: input,
    load: (em: EntityManager, id: string) => em.findOneOrFail(PenaltyRecord, { id }),
  };
  return createOnce(deps.orm, once, (em) =>
    proposePenaltyIn(em, deps, {
      ruleCode,
      staffId,
      culpritKnown: input.culpritKnown ?? true,
      occurredAt,
      reference: optionalText(input.reference, 'reference', 64),
      sourceKey: `MANUAL:${ruleCode}:${staffId}:${sourceRef}`,
      proposedBy: me.userId,
      correctionRequired: input.correctionRequired ?? false,
    }),
  );
}
