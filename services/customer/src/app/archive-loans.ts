import { type FilterQuery, LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { type CustomerArchiveLoan, events } from '@aftercare/events';
import {
  AppError,
  changeOne,
  checkUuid,
  conflict,
  createOnce,
  type EntityManager,
  eventMessage,
  groupByKeys,
  hasRole,
  type Identity,
  isUuid,
  keysetPage,
  notFound,
  oneOf,
  type Page,
  type PageRequest,
  requireRole,
  staffId,
  uuidv7,
} from '@aftercare/kit';
import { ArchiveLoanRecord, ArchiveLoanStepRecord, CustomerRecord } from '../db/entities';
import {
  checkDueOn,
  LOAN_STATUSES,
  loanDueAt,
  type LoanMove,
  type LoanRequestInput,
  type LoanReturnInput,
  type LoanStep,
  moveLoan,
  OPEN_LOAN_STATUSES,
  parseLoanRequest,
  parseLoanReturn,
  stepReason,
} from '../domain/archive-loan';
import { localDate, optionalText } from '../domain/values';
import { CAN_KEEP_ARCHIVE, CAN_READ_ARCHIVE, CAN_REQUEST_LOAN } from './access';
import { type CustomerDeps } from './deps';
import { keyedCreate } from './once';

const EVENT_OF = {
  REQUESTED: events.customer.archiveLoanRequested,
  APPROVED: events.customer.archiveLoanApproved,
  REJECTED: events.customer.archiveLoanRejected,
  LENT: events.customer.archiveLoanLent,
  RETURNED: events.customer.archiveLoanReturned,
  CANCELLED: events.customer.archiveLoanCancelled,
  OVERDUE: events.customer.archiveLoanOverdue,
} as const;

const factsOf = (
  l: ArchiveLoanRecord,
  by: string | null,
  at: Date,
  note: string | null,
): CustomerArchiveLoan => ({
  loanId: l.id,
  customerId: l.customerId,
  status: l.status,
  borrowerId: l.requestedBy,
  purpose: l.purpose,
  dueOn: l.dueOn,
  dueAt: l.dueAt.toISOString(),
  lentAt: l.lentAt?.toISOString() ?? null,
  returnedAt: l.returnedAt?.toISOString() ?? null,
  returnCondition: l.returnCondition,
  by,
  at: at.toISOString(),
  note,
});

/** The step's history line and event, written with the loan's change (same transaction). */
function stepOf(
  em: EntityManager,
  loan: ArchiveLoanRecord,
  step: LoanStep,
  by: string | null,
  at: Date,
  note: string | null,
) {
  return {
    record: em.create(ArchiveLoanStepRecord, { id: uuidv7(), loanId: loan.id, step, by, at, note }),
    event: eventMessage(EVENT_OF[step], factsOf(loan, by, at, note)),
  };
}

const today = (deps: CustomerDeps) => localDate(deps.now(), deps.timeZone);

/** The loan that keeps a file from being lent again: asked for, promised or out. */
const openLoanIn = (em: EntityManager, customerId: string) =>
  em.findOne(ArchiveLoanRecord, { customerId, status: { $in: [...OPEN_LOAN_STATUSES] } });

function alreadyOpen(open: Pick<ArchiveLoanRecord, 'id' | 'status'>): AppError {
  return open.status === 'LENT'
    ? conflict(`the file is lent out (loan ${open.id})`, 'ALREADY_LENT')
    : conflict(`the file already has a loan waiting (loan ${open.id})`, 'LOAN_PENDING');
}

export interface RequestArchiveLoanInput extends LoanRequestInput {
  customerId?: string | null;
  idempotencyKey?: string | null;
}

/**
 * R-CU-4: a staff member asks for a customer's paper file, why and until when (at most
 * ARCHIVE_LOAN_MAX_DAYS ahead). A file has one open loan at a time: a request while another is
 * waiting or the file is out is refused (LOAN_PENDING / ALREADY_LENT), not queued — the desk
 * would otherwise promise a file it cannot say when it gets back. The customer row is read
 * FOR SHARE, so a destruction holding it FOR UPDATE never races a new request.
 */
export async function requestArchiveLoan(
  deps: CustomerDeps,
  caller: Identity | null,
  input: RequestArchiveLoanInput,
): Promise<ArchiveLoanRecord> {
  const me = requireRole(caller, ...CAN_REQUEST_LOAN);
  const customerId = checkUuid(input.customerId, 'customerId');
  const request = parseLoanRequest(input, today(deps), deps.loanMaxDays);
  const once = keyedCreate('customer.requestArchiveLoan', me, input, ArchiveLoanRecord);
  try {
    return await createOnce(deps.orm, once, async (em) => {
      const customer = await em.findOne(
        CustomerRecord,
        { id: customerId },
        { fields: ['id'], lockMode: LockMode.PESSIMISTIC_READ },
      );
      if (!customer) throw notFound('Customer', customerId);
      const open = await openLoanIn(em, customerId);
      if (open) throw alreadyOpen(open);
      const now = deps.now();
      const loan = em.create(ArchiveLoanRecord, {
        id: uuidv7(),
        customerId,
        status: 'REQUESTED',
        requestedBy: me.userId,
        ...request,
        requestedAt: now,
        dueAt: loanDueAt(request.dueOn, deps.calendar),
        version: 1,
      });
      const { event } = stepOf(em, loan, 'REQUESTED', me.userId, now, request.purpose);
      await em.flush();
      deps.events.publishMessage(em, loan.id, event);
      return loan;
    });
  } catch (e) {
    // Two requests at once: the open-loan index lets one in; the other is told why.
    if (e instanceof UniqueConstraintViolationException) {
      throw conflict('the file already has a loan waiting', 'LOAN_PENDING');
    }
    throw e;
  }
}

/** One move of a loan by `me`: checked by the state machine, changed, its history line and event. */
function moveArchiveLoan(
  deps: CustomerDeps,
  me: Identity,
  loanId: string | null | undefined,
  move: LoanMove,
  note: string | null,
  change: (loan: ArchiveLoanRecord, now: Date) => void = () => {},
): Promise<ArchiveLoanRecord> {
  return changeOne(deps, {
    entity: ArchiveLoanRecord,
    label: 'ArchiveLoan',
    id: loanId,
    field: 'loanId',
    apply: (loan, em) => {
      const actor = { userId: me.userId, keeper: hasRole(me, ...CAN_KEEP_ARCHIVE) };
      const step = moveLoan(loan, move, actor);
      const now = deps.now();
      change(loan, now);
      loan.status = step;
      loan.version += 1;
      const { record, event } = stepOf(em, loan, step, me.userId, now, note);
      return { records: [record], events: [event] };
    },
  });
}

/** R-CU-4: the archive keeper or a manager approves someone else's request. */
export function approveArchiveLoan(
  deps: CustomerDeps,
  caller: Identity | null,
  input: { loanId?: string | null; note?: string | null },
): Promise<ArchiveLoanRecord> {
  const me = requireRole(caller, ...CAN_KEEP_ARCHIVE);
  const note = optionalText(input.note, 'note', 500);
  return moveArchiveLoan(deps, me, input.loanId, 'APPROVE', note, (loan, now) => {
    Object.assign(loan, { decidedBy: me.userId, decidedAt: now });
  });
}

/** R-CU-4: the archive keeper or a manager rejects someone else's request, saying why. */
export function rejectArchiveLoan(
  deps: CustomerDeps,
  caller: Identity | null,
  input: { loanId?: string | null; reason?: string | null },
): Promise<ArchiveLoanRecord> {
  const me = requireRole(caller, ...CAN_KEEP_ARCHIVE);
  const reason = stepReason(input.reason);
  return moveArchiveLoan(deps, me, input.loanId, 'REJECT', reason, (loan, now) => {
    Object.assign(loan, { decidedBy: me.userId, decidedAt: now });
  });
}

/**
 * R-CU-4: the approved file is handed out at the desk. The keeper may set a new due day (within
 * ARCHIVE_LOAN_MAX_DAYS of today); without one the requested day stands, if it has not passed.
 */
export function lendArchiveLoan(
  deps: CustomerDeps,
  caller: Identity | null,
  input: { loanId?: string | null; dueOn?: string | null },
): Promise<ArchiveLoanRecord> {
  const me = requireRole(caller, ...CAN_KEEP_ARCHIVE);
  const day = today(deps);
  const newDueOn = input.dueOn ? checkDueOn(input.dueOn, day, deps.loanMaxDays) : null;
  return moveArchiveLoan(deps, me, input.loanId, 'LEND', null, (loan, now) => {
    const dueOn = newDueOn ?? checkDueOn(loan.dueOn, day, deps.loanMaxDays);
    Object.assign(loan, {
      dueOn,
      dueAt: loanDueAt(dueOn, deps.calendar),
      lentBy: me.userId,
      lentAt: now,
    });
  });
}

/** R-CU-4: the file comes back to the desk; its condition is recorded (damage with notes). */
export function returnArchiveLoan(
  deps: CustomerDeps,
  caller: Identity | null,
  input: LoanReturnInput & { loanId?: string | null },
): Promise<ArchiveLoanRecord> {
  const me = requireRole(caller, ...CAN_KEEP_ARCHIVE);
  const back = parseLoanReturn(input);
  return moveArchiveLoan(deps, me, input.loanId, 'RETURN', back.notes, (loan, now) => {
    Object.assign(loan, {
      returnedAt: now,
      returnReceivedBy: me.userId,
      returnCondition: back.condition,
      returnNotes: back.notes,
    });
  });
}

/** R-CU-4: the requester (or the keeper) withdraws a request before the file is handed out. */
export function cancelArchiveLoan(
  deps: CustomerDeps,
  caller: Identity | null,
  input: { loanId?: string | null; reason?: string | null },
): Promise<ArchiveLoanRecord> {
  const me = requireRole(caller, ...CAN_REQUEST_LOAN);
  const reason = stepReason(input.reason);
  return moveArchiveLoan(deps, me, input.loanId, 'CANCEL', reason);
}

/**
 * R-CU-4: files lent and not back by the close of their due day are reported once. Rows are
 * claimed with SKIP LOCKED and marked in the event's transaction, so replicas never report twice.
 * Overdue alone proposes no penalty: the archive rules fine a file lost or damaged (檔案遺失,
 * 20 元/件), not a late one.
 */
export async function scanOverdueLoans(deps: CustomerDeps): Promise<number> {
  const now = deps.now();
  return deps.orm.em.fork().transactional(async (em) => {
    const overdue = await em.find(
      ArchiveLoanRecord,
      { status: 'LENT', overdueReportedAt: null, dueAt: { $lt: now } },
      { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE, orderBy: { dueAt: 'asc' }, limit: 500 },
    );
    for (const loan of overdue) {
      loan.overdueReportedAt = now;
      const { record, event } = stepOf(em, loan, 'OVERDUE', null, now, null);
      em.persist(record);
      deps.events.publishMessage(em, loan.id, event);
    }
    return overdue.length;
  });
}

/**
 * R-CU-4 for other use cases (destruction refuses a file that is out or promised): the customer's
 * open loan — requested, approved or lent — or null. No role check: the caller checked its own.
 * Asked in a transaction that holds the customer row FOR UPDATE, the answer stays true until it
 * commits (a request reads the row FOR SHARE first).
 */
export const openArchiveLoanOf = (
  em: EntityManager,
  customerId: string,
): Promise<ArchiveLoanRecord | null> => openLoanIn(em, customerId);

export async function getArchiveLoan(em: EntityManager, caller: Identity | null, id: string) {
  requireRole(caller, ...CAN_READ_ARCHIVE);
  const loan = isUuid(id) ? await em.findOne(ArchiveLoanRecord, { id }) : null;
  if (!loan) throw notFound('ArchiveLoan', id);
  return loan;
}

export interface ArchiveLoanFilter {
  customerId?: string | null;
  status?: string | null;
  borrowerId?: string | null;
  /** Only files out past their due day, reported or not yet. */
  overdueOnly?: boolean | null;
}

/** R-CU-4 loans by customer, status, borrower or overdue, newest first, keyset-paged. */
export function archiveLoans(
  deps: CustomerDeps,
  em: EntityManager,
  caller: Identity | null,
  filter: ArchiveLoanFilter,
  page: PageRequest,
): Promise<Page<ArchiveLoanRecord>> {
  requireRole(caller, ...CAN_READ_ARCHIVE);
  const where: FilterQuery<ArchiveLoanRecord> = {};
  if (filter.customerId) where.customerId = checkUuid(filter.customerId, 'customerId');
  if (filter.status) where.status = oneOf(LOAN_STATUSES, filter.status, 'status');
  if (filter.borrowerId) where.requestedBy = staffId(filter.borrowerId, 'borrowerId');
  // With a status other than LENT as well, nothing is both: an empty page, not an error.
  const overdue: FilterQuery<ArchiveLoanRecord>[] = filter.overdueOnly
    ? [{ status: 'LENT' }, { dueAt: { $lt: deps.now() } }]
    : [];
  return keysetPage(em, ArchiveLoanRecord, { $and: [where, ...overdue] }, page);
}

/** Each loan's steps, oldest first, for a DataLoader batch (one query whatever the number). */
export async function stepsOfLoans(
  em: EntityManager,
  caller: Identity | null,
  loanIds: readonly string[],
): Promise<ArchiveLoanStepRecord[][]> {
  requireRole(caller, ...CAN_READ_ARCHIVE);
  const wanted = [...new Set(loanIds)];
  const found = wanted.length
    ? await em.find(ArchiveLoanStepRecord, { loanId: { $in: wanted } }, { orderBy: { id: 'asc' } })
    : [];
  return groupByKeys(loanIds, found, (s) => s.loanId);
}
