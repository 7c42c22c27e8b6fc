import { LockMode } from '@mikro-orm/core';
import type { PenaltyDecided, PenaltyProposed } from '@aftercare/events';
import { events } from '@aftercare/events';
import {
  AppError,
  type EntityManager,
  type Identity,
  type Logger,
  type Metrics,
  checkUuid,
  forbidden,
  createOnce,
  idempotencyKey,
  instant,
  invalidArgument,
  keysetPage,
  oneOf,
  type Page,
  notFound,
  notInFuture,
  optionalText,
  requireRole,
  requiredText,
  startPeriodicWorker,
  uuidv7,
  type Worker,
} from '@aftercare/kit';
import { type ComplaintRecord, PenaltyRecord, PenaltyRuleRecord } from '../db/entities';
import {
  PENALTY_STATUSES,
  type LedgerEntry,
  type Month,
  type PenaltyAction,
  type PenaltyRule,
  type PenaltyRuleInput,
  type PayrollRow,
  type StaffRef,
  assessPenalty,
  countViolationsBefore,
  localMonth,
  monthlyExport,
  parseMonth,
  parsePenaltyRule,
  penaltyCarrier,
  penaltyTransition,
  proposeEntry,
  uncorrectedRecounts,
  nextMonth,
} from '../domain';
import {
  ANYONE,
  CAN_APPEAL,
  CAN_DECIDE_PENALTIES,
  CAN_EDIT_RULES,
  CAN_EXPORT_PAYROLL,
  CAN_PROPOSE_PENALTIES,
  CAN_READ_ALL_PENALTIES,
} from './access';
import { type ComplaintDeps, SERVICE_IDENTITY } from './deps';

export const toRule = (r: PenaltyRuleRecord): PenaltyRule => ({
  code: r.code,
  description: r.description,
  kind: r.kind,
  points: r.points,
  fineFen: r.fineFen,
  source: r.source,
  ...(r.doublingRoles.length > 0 ? { doublingRoles: r.doublingRoles } : {}),
});

/** Any signed-in staff member (they see their own lines; the use case narrows further). */
const anyStaff = (caller: Identity | null): Identity => requireRole(caller, ...ANYONE);

const has = (caller: Identity, roles: readonly string[]) =>
  caller.roles.includes('admin') || caller.roles.some((r) => roles.includes(r));

/** The business month `[from, to)` as instants, for range queries. */
export function monthRange(deps: ComplaintDeps, month: Month): { from: Date; to: Date } {
  return {
    from: deps.calendar.fromLocal(`${month}-01T00:00`),
    to: deps.calendar.fromLocal(`${nextMonth(month)}-01T00:00`),
  };
}

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
  deps: ComplaintDeps,
  p: Proposal,
): Promise<PenaltyRecord> {
  return (await proposeOnce(em, deps, p)).record;
}

/** Like `proposePenaltyIn`, saying whether this call created the line. */
async function proposeOnce(
  em: EntityManager,
  deps: ComplaintDeps,
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
  const { from, to } = monthRange(deps, localMonth(p.occurredAt, deps.calendar));
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

/** Position and team lead from the work-order roster; someone not on it has neither. */
async function staffRef(deps: ComplaintDeps, id: string): Promise<StaffRef> {
  const [found] = await deps.workOrders.staff([id], SERVICE_IDENTITY);
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
 * R-PN-1 "complaint findings": an investigation that found our service responsible proposes
 * COMPLAINT_SUBSTANTIATED for each responsible person, doubled for a repeated complaint. With no one
 * named (no direct culprit, R-PN-2) the team lead carries it: the team lead of the work order's lead
 * technician or, without a technician on a work order, of the first person the complaint is about.
 * A team member without a team lead on the roster leaves the penalty to a manager (`noCarrier`)
 * rather than blocking the investigation, which has its own deadline.
 */
export async function proposeComplaintPenalties(
  em: EntityManager,
  deps: ComplaintDeps,
  complaint: ComplaintRecord,
  proposedBy: string,
): Promise<{ ids: string[]; noCarrier: string | null }> {
  const report = complaint.investigation;
  if (!report?.serviceCaused) return { ids: [], noCarrier: null };
  const base = {
    ruleCode: 'COMPLAINT_SUBSTANTIATED',
    occurredAt: complaint.receivedAt,
    reference: complaint.id,
    proposedBy,
    repeatedComplaint: complaint.repeatOfId !== null,
  };
  const ids: string[] = [];
  for (const staffId of report.responsibleStaffIds) {
    const p = {
      ...base,
      staffId,
      culpritKnown: true,
      sourceKey: `COMPLAINT:${complaint.id}:${staffId}`,
    };
    ids.push((await proposePenaltyIn(em, deps, p)).id);
  }
  if (ids.length > 0) return { ids, noCarrier: null };
  const order = complaint.workOrderId
    ? await deps.workOrders.workOrder(complaint.workOrderId, SERVICE_IDENTITY)
    : null;
  const member = order?.leadTechnicianId ?? order?.technicianIds[0] ?? complaint.aboutStaffIds[0];
  if (!member) return { ids, noCarrier: null };
  try {
    const p = {
      ...base,
      staffId: member,
      culpritKnown: false,
      sourceKey: `COMPLAINT:${complaint.id}:team-lead-of:${member}`,
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
  deps: ComplaintDeps,
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

/**
 * R-PN-3 lifecycle: confirm, appeal, uphold, void. The role is checked before the lookup (a
 * manager decides, staff appeal), staff who do not read every line are refused any line but their
 * own whether it exists or not, and then the domain decides (their own line, the status): a
 * refusal never tells a stranger whether someone's ledger line exists or what state it is in.
 */
export async function decidePenalty(
  deps: ComplaintDeps,
  caller: Identity | null,
  id: string,
  action: PenaltyAction,
): Promise<PenaltyRecord> {
  const me = requireRole(caller, ...(action.type === 'appeal' ? CAN_APPEAL : CAN_DECIDE_PENALTIES));
  const penaltyId = checkUuid(id, 'penaltyId');
  return deps.orm.em.fork().transactional(async (em) => {
    const record = await em.findOne(
      PenaltyRecord,
      { id: penaltyId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!record && has(me, CAN_READ_ALL_PENALTIES)) throw notFound('Penalty', penaltyId);
    if (!record || !mayReadPenaltiesOf(me, record.staffId))
      throw forbidden('staff act on their own ledger lines only', 'NOT_YOUR_PENALTY');
    const now = deps.now();
    const { entry, notify } = penaltyTransition(asEntry(record), action, { actor: me, now });
    Object.assign(record, entry, { updatedAt: now });
    await em.flush();
    deps.events.publish(em, events.complaint.penaltyDecided, record.id, {
      ...penaltyFacts(record),
      action: action.type,
      decidedBy: me.userId,
      notifyStaff: notify.length > 0,
    } satisfies PenaltyDecided);
    return record;
  });
}

const asEntry = (r: PenaltyRecord): LedgerEntry => ({ ...r });

/** R-PN-2: the violation corrected; it stops counting again. Whoever proposes penalties may. */
export async function markPenaltyCorrected(
  deps: ComplaintDeps,
  caller: Identity | null,
  id: string,
): Promise<PenaltyRecord> {
  requireRole(caller, ...CAN_PROPOSE_PENALTIES);
  const penaltyId = checkUuid(id, 'penaltyId');
  return deps.orm.em.fork().transactional(async (em) => {
    const record = await em.findOne(
      PenaltyRecord,
      { id: penaltyId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!record) throw notFound('Penalty', penaltyId);
    if (record.correctionRequired && !record.correctedAt) {
      record.correctedAt = deps.now();
      record.updatedAt = record.correctedAt;
    }
    return record;
  });
}

/**
 * R-PN-2 "not corrected within 1 working day counts again": for each uncorrected violation, one
 * proposed re-count per working day passed. The re-count's source key (`RECOUNT:<id>:<n>`) makes it
 * exactly-once with any number of scheduler replicas. Returns the re-counts proposed by this call.
 */
export async function scanUncorrectedViolations(deps: ComplaintDeps, limit = 200): Promise<number> {
  const now = deps.now();
  let proposed = 0;
  // Page through every open violation (by id): the oldest ones stay open until corrected, so a
  // single "oldest first, limit n" batch would starve every violation after the n-th for good.
  for (let after: string | null = null; ;) {
    const open: PenaltyRecord[] = await deps.orm.em.fork().find(
      PenaltyRecord,
      {
        correctionRequired: true,
        correctedAt: null,
        kind: 'PENALTY',
        status: { $ne: 'VOID' },
        recountOfId: null,
        ...(after ? { id: { $gt: after } } : {}),
      },
      { limit, orderBy: { id: 'asc' } },
    );
    proposed += await recountEach(deps, open, now);
    if (open.length < limit) return proposed;
    after = open.at(-1)!.id;
  }
}

/** The re-counts due for each open violation as of `now`; returns how many this call created. */
async function recountEach(deps: ComplaintDeps, open: PenaltyRecord[], now: Date): Promise<number> {
  let proposed = 0;
  for (const entry of open) {
    const recounts = uncorrectedRecounts(
      entry.occurredAt,
      null,
      now,
      deps.calendar,
      deps.penaltyPolicy,
    );
    for (const [i, at] of recounts.entries()) {
      const sourceKey = `RECOUNT:${entry.id}:${i + 1}`;
      const { created } = await deps.orm.em.fork().transactional((em) =>
        proposeOnce(em, deps, {
          ruleCode: entry.ruleCode,
          staffId: entry.staffId,
          culpritKnown: true,
          occurredAt: at,
          reference: entry.reference,
          sourceKey,
          proposedBy: SERVICE_IDENTITY.userId,
          recountOfId: entry.id,
        }),
      );
      if (created) proposed++;
    }
  }
  return proposed;
}

export const startCorrectionScheduler = (
  deps: ComplaintDeps,
  logger: Logger,
  intervalMs: number,
  metrics?: Metrics,
): Worker =>
  startPeriodicWorker(
    'penalty correction scheduler',
    intervalMs,
    () => scanUncorrectedViolations(deps),
    logger,
    metrics,
  );

/** R-PN-1: the rules, for everyone who sees penalties. */
export async function listPenaltyRules(em: EntityManager, caller: Identity | null) {
  anyStaff(caller);
  return em.find(PenaltyRuleRecord, {}, { orderBy: { code: 'asc' } });
}

/** R-PN-1: a manager adds or edits a rule; past ledger lines keep what they were assessed at. */
export async function upsertPenaltyRule(
  deps: ComplaintDeps,
  caller: Identity | null,
  input: PenaltyRuleInput,
): Promise<PenaltyRuleRecord> {
  const me = requireRole(caller, ...CAN_EDIT_RULES);
  const rule = parsePenaltyRule(input, 'input');
  return deps.orm.em.fork().transactional(async (em) => {
    const record =
      (await em.findOne(PenaltyRuleRecord, { code: rule.code })) ??
      Object.assign(new PenaltyRuleRecord(), { code: rule.code });
    Object.assign(record, {
      description: rule.description,
      kind: rule.kind,
      points: rule.points,
      fineFen: rule.fineFen,
      source: rule.source,
      doublingRoles: [...(rule.doublingRoles ?? [])],
      updatedBy: me.userId,
      updatedAt: deps.now(),
    });
    em.persist(record);
    return record;
  });
}

/** R-PN-3: staff see only their own lines; managers, auditors and services see all. */
export function mayReadPenaltiesOf(caller: Identity, staffId: string): boolean {
  return has(caller, CAN_READ_ALL_PENALTIES) || caller.userId === staffId;
}

export async function getPenalty(em: EntityManager, caller: Identity | null, id: string) {
  const me = anyStaff(caller);
  const record = await em.findOne(PenaltyRecord, { id: checkUuid(id, 'id') });
  if (!record || !mayReadPenaltiesOf(me, record.staffId)) throw notFound('Penalty', id);
  return record;
}

export interface PenaltyFilter {
  staffId?: string | null;
  month?: string | null;
  status?: string | null;
  first?: number | null;
  after?: string | null;
}

/** R-PN-3 ledger lines, newest first, paged: staff see only their own lines. */
export async function listPenalties(
  deps: ComplaintDeps,
  em: EntityManager,
  caller: Identity | null,
  filter: PenaltyFilter,
): Promise<Page<PenaltyRecord>> {
  const me = anyStaff(caller);
  const staffId = filter.staffId ?? (has(me, CAN_READ_ALL_PENALTIES) ? null : me.userId);
  if (!staffId && !has(me, CAN_READ_ALL_PENALTIES))
    throw forbidden('staff see only their own penalties');
  if (staffId && !mayReadPenaltiesOf(me, staffId))
    throw forbidden('staff see only their own penalties');
  const range = filter.month ? monthRange(deps, parseMonth(filter.month)) : null;
  return keysetPage(
    em,
    PenaltyRecord,
    {
      ...(staffId ? { staffId } : {}),
      ...(filter.status ? { status: oneOf(PENALTY_STATUSES, filter.status, 'status') } : {}),
      ...(range ? { occurredAt: { $gte: range.from, $lt: range.to } } : {}),
    },
    { first: filter.first, after: filter.after },
  );
}

/**
 * A staff member's ledger lines (GraphQL `Staff.penalties`), newest first, paged; empty for a
 * caller who may not read them, as the field sits on another subgraph's entity.
 */
export async function penaltiesOfStaff(
  deps: ComplaintDeps,
  em: EntityManager,
  caller: Identity | null,
  staffId: string,
  request: { month?: string | null; first?: number | null; after?: string | null },
): Promise<Page<PenaltyRecord>> {
  const me = anyStaff(caller);
  const range = request.month ? monthRange(deps, parseMonth(request.month)) : null;
  return keysetPage(
    em,
    PenaltyRecord,
    mayReadPenaltiesOf(me, staffId)
      ? { staffId, ...(range ? { occurredAt: { $gte: range.from, $lt: range.to } } : {}) }
      : { id: { $in: [] } },
    request,
  );
}

/** R-PN-3: the month's payable totals per staff member, for payroll. */
export async function payrollExport(
  deps: ComplaintDeps,
  em: EntityManager,
  caller: Identity | null,
  rawMonth: string,
): Promise<PayrollRow[]> {
  requireRole(caller, ...CAN_EXPORT_PAYROLL);
  const month = parseMonth(rawMonth);
  const { from, to } = monthRange(deps, month);
  const entries = await em.find(PenaltyRecord, { occurredAt: { $gte: from, $lt: to } });
  return monthlyExport(entries, month, deps.calendar);
}
