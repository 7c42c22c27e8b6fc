import type {
  CustomerArchiveHandoverLate,
  CustomerFileLate,
  InventoryToolLost,
  WorkOrderRepeatRepair,
  WorkOrderSlaBreached,
} from '@aftercare/events';
import type { EntityManager, Logger } from '@aftercare/kit';
import type { PenaltyDeps } from './deps';
import { type Proposal, proposePenaltyIn } from './propose';

async function proposeAll(em: EntityManager, deps: PenaltyDeps, proposals: Proposal[]) {
  for (const p of proposals) await proposePenaltyIn(em, deps, p);
}

/**
 * R-PN-1 "SLA breach": the lead technician (or, without one, each assigned technician) is proposed
 * an SLA_BREACH penalty, once per work order, deadline and person (the source key). A breach before
 * anyone was dispatched has no technician to propose and is left to a manager.
 */
export async function proposeForSlaBreach(
  em: EntityManager,
  deps: PenaltyDeps,
  logger: Logger,
  e: WorkOrderSlaBreached,
): Promise<void> {
  const carriers = e.leadTechnicianId ? [e.leadTechnicianId] : e.technicianIds;
  if (carriers.length === 0) {
    logger.info({ workOrderId: e.workOrderId, kind: e.kind }, 'SLA breach without a technician');
    return;
  }
  await proposeAll(
    em,
    deps,
    carriers.map((staffId) => ({
      ruleCode: 'SLA_BREACH',
      staffId,
      culpritKnown: true,
      occurredAt: new Date(e.dueAt),
      reference: e.workOrderId,
      sourceKey: `SLA_BREACH:${e.workOrderId}:${e.kind}:${staffId}`,
      proposedBy: deps.serviceIdentity.userId,
    })),
  );
}

/** R-PN-1 "repeat repair": the technicians of the earlier repair are proposed a penalty each. */
export async function proposeForRepeatRepair(
  em: EntityManager,
  deps: PenaltyDeps,
  e: WorkOrderRepeatRepair,
): Promise<void> {
  await proposeAll(
    em,
    deps,
    [...new Set(e.previousTechnicianIds)].map((staffId) => ({
      ruleCode: 'REPEAT_REPAIR',
      staffId,
      culpritKnown: true,
      occurredAt: new Date(e.calledAt),
      reference: e.workOrderId,
      sourceKey: `REPEAT_REPAIR:${e.workOrderId}:${staffId}`,
      proposedBy: deps.serviceIdentity.userId,
    })),
  );
}

/** R-PN-1 "tool loss": the borrower, with the charge (original price share) as restitution on top. */
export async function proposeForToolLoss(
  em: EntityManager,
  deps: PenaltyDeps,
  e: InventoryToolLost,
): Promise<void> {
  await proposePenaltyIn(em, deps, {
    ruleCode: 'TOOL_LOSS',
    staffId: e.borrowerId,
    culpritKnown: true,
    occurredAt: new Date(e.at),
    reference: e.loanId,
    sourceKey: `TOOL_LOSS:${e.loanId}`,
    proposedBy: deps.serviceIdentity.userId,
    chargeFen: e.amountFen,
  });
}

interface ArchiveViolation {
  responsibleStaffId: string | null;
  occurredAt: string;
  /** The handover or customer the violation is about, on the ledger line. */
  reference: string;
  /** One proposal per source key, so a redelivered event never costs twice. */
  sourceKey: string;
}

/**
 * R-PN-1 an archive violation (R-CU-3, R-CU-6) costs the advisor answering for the archive one
 * ARCHIVE_HANDOVER_LATE penalty; its doubling for sales and service advisors counts them together.
 * Without anyone responsible, nothing is proposed: a manager decides.
 */
async function proposeForArchiveViolation(
  em: EntityManager,
  deps: PenaltyDeps,
  logger: Logger,
  v: ArchiveViolation,
): Promise<void> {
  if (!v.responsibleStaffId) {
    logger.info({ reference: v.reference }, 'archive violation without a responsible');
    return;
  }
  await proposePenaltyIn(em, deps, {
    ruleCode: 'ARCHIVE_HANDOVER_LATE',
    staffId: v.responsibleStaffId,
    culpritKnown: true,
    occurredAt: new Date(v.occurredAt),
    reference: v.reference,
    sourceKey: v.sourceKey,
    proposedBy: deps.serviceIdentity.userId,
  });
}

/** R-CU-3 → R-PN-1 "archive handover late or incomplete": once per handover. */
export const proposeForLateArchiveHandover = (
  em: EntityManager,
  deps: PenaltyDeps,
  logger: Logger,
  e: CustomerArchiveHandoverLate,
): Promise<void> =>
  proposeForArchiveViolation(em, deps, logger, {
    responsibleStaffId: e.responsibleStaffId,
    occurredAt: e.violatedAt,
    reference: e.handoverId,
    sourceKey: `ARCHIVE_HANDOVER:${e.handoverId}`,
  });

/**
 * R-CU-6 → R-PN-1 "customer file late": a new customer's file still incomplete 2 days after their
 * first visit, once per customer, at its deadline.
 */
export const proposeForLateCustomerFile = (
  em: EntityManager,
  deps: PenaltyDeps,
  logger: Logger,
  e: CustomerFileLate,
): Promise<void> =>
  proposeForArchiveViolation(em, deps, logger, {
    responsibleStaffId: e.responsibleStaffId,
    occurredAt: e.dueAt,
    reference: e.customerId,
    sourceKey: `CUSTOMER_FILE:${e.customerId}`,
  });
