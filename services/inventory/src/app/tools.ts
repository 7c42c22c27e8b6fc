import { LockMode } from '@mikro-orm/core';
import {
  type EntityManager,
  type Identity,
  changeOne,
  conflict,
  createOnce,
  eventMessage,
  idempotencyKey,
  invalidArgument,
  keysetPage,
  keysetPageByKey,
  notFound,
  type Page,
  type PageRequest,
  requireRole,
  type Role,
  uuidv7,
} from '@aftercare/kit';
import { events, type InventoryToolOverdue } from '@aftercare/events';
import { ToolCountRecord, ToolLoanRecord, ToolRecord } from '../db/entities';
import {
  codeKey,
  type LendInput,
  lendTool,
  overdueLoans,
  parseTool,
  type ReturnInput,
  returnTool,
  type Tool,
  type ToolInput,
  type ToolLoan,
  toolAfterReturn,
  toolCount,
} from '../domain';
import type { InventoryDeps } from './deps';

const KEEPERS: Role[] = ['tool_keeper', 'manager'];
const READERS: Role[] = [
  'tool_keeper',
  'manager',
  'technician',
  'workshop',
  'warehouse',
  'auditor',
];

const toolOf = (r: ToolRecord): Tool => ({ ...r });
const loanOf = (r: ToolLoanRecord): ToolLoan => ({ ...r });

async function lockedTool(em: EntityManager, code: string): Promise<ToolRecord> {
  const tool = await em.findOne(
    ToolRecord,
    { code: codeKey(code) },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!tool) throw notFound('Tool', code);
  return tool;
}

/** R-IN-6: a tool of the tool room, created or updated by code. */
export async function upsertTool(
  deps: InventoryDeps,
  caller: Identity | null,
  input: ToolInput,
): Promise<ToolRecord> {
  requireRole(caller, ...KEEPERS);
  const tool = parseTool(input);
  return deps.orm.em.fork().transactional(async (em) => {
    const record = (await em.findOne(ToolRecord, { code: tool.code })) ?? new ToolRecord();
    Object.assign(record, tool);
    em.persist(record);
    return record;
  });
}

/**
 * R-IN-6: the keeper registers a loan (borrower, count, signature, condition at lending); with an
 * idempotency key once, a repeat getting the loan registered the first time.
 */
export async function lend(
  deps: InventoryDeps,
  caller: Identity | null,
  toolCode: string,
  input: LendInput & { idempotencyKey?: string | null },
): Promise<ToolLoanRecord> {
  const me = requireRole(caller, ...KEEPERS);
  const once = {
    operation: 'inventory.lendTool',
    caller: me,
    key: idempotencyKey(input.idempotencyKey),
    request: { ...input, toolCode },
    load: (em: EntityManager, id: string) => em.findOneOrFail(ToolLoanRecord, { id }),
  };
  return createOnce(deps.orm, once, async (em) => {
    const tool = await lockedTool(em, toolCode);
    const open = await em.find(ToolLoanRecord, { toolCode: tool.code, returnedAt: null });
    const loan = lendTool(
      toolOf(tool),
      open.map(loanOf),
      { ...input, id: uuidv7(), keeperId: me.userId },
      deps.now(),
    );
    const record = Object.assign(new ToolLoanRecord(), loan);
    em.persist(record);
    return record;
  });
}

/**
 * R-IN-6: who borrows returns; the keeper checks the condition. Lost or damaged pieces are
 * charged to the borrower at original price (`inventory.tool_lost`, for the penalty ledger).
 */
export async function giveBack(
  deps: InventoryDeps,
  caller: Identity | null,
  loanId: string,
  input: ReturnInput,
): Promise<ToolLoanRecord> {
  const me = requireRole(caller, ...KEEPERS);
  return changeOne(deps, {
    entity: ToolLoanRecord,
    label: 'ToolLoan',
    id: loanId,
    field: 'loanId',
    apply: async (record, em) => {
      const tool = await lockedTool(em, record.toolCode);
      const { loan, charge } = returnTool(
        toolOf(tool),
        loanOf(record),
        { ...input, keeperId: me.userId },
        deps.now(),
      );
      Object.assign(record, loan);
      Object.assign(tool, toolAfterReturn(toolOf(tool), loan));
      if (!charge) return;
      const lost = eventMessage(events.inventory.toolLost, {
        ...charge,
        at: charge.at.toISOString(),
      });
      return { events: [lost] };
    },
  });
}

/**
 * R-IN-6: special tools never stay out overnight. Emits `inventory.tool_overdue` once per loan:
 * the notice time is set in the same transaction as the event, and rows are claimed with
 * SKIP LOCKED, so several replicas never notify twice.
 */
export async function scanOverdueTools(deps: InventoryDeps): Promise<number> {
  const now = deps.now();
  return deps.orm.em.fork().transactional(async (em) => {
    const open = await em.find(
      ToolLoanRecord,
      { special: true, returnedAt: null, overdueNotifiedAt: null },
      { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE, orderBy: { lentAt: 'asc' }, limit: 500 },
    );
    const overdue = overdueLoans(open.map(loanOf), now, deps.calendar);
    for (const { loan, dueAt } of overdue) {
      const record = open.find((r) => r.id === loan.id)!;
      record.overdueNotifiedAt = now;
      deps.events.publish(em, events.inventory.toolOverdue, loan.id, {
        loanId: loan.id,
        toolCode: loan.toolCode,
        borrowerId: loan.borrowerId,
        count: loan.count,
        lentAt: loan.lentAt.toISOString(),
        dueAt: dueAt.toISOString(),
      } satisfies InventoryToolOverdue);
    }
    return overdue.length;
  });
}

/** The tool room by tool code, paged. */
export async function listTools(
  em: EntityManager,
  caller: Identity | null,
  request: PageRequest,
): Promise<Page<ToolRecord>> {
  requireRole(caller, ...READERS);
  return keysetPageByKey(em, ToolRecord, 'code', {}, request);
}

export async function getTool(
  em: EntityManager,
  caller: Identity | null,
  code: string,
): Promise<ToolRecord | null> {
  requireRole(caller, ...READERS);
  return em.findOne(ToolRecord, { code });
}

/**
 * A tool's loans, newest registered first, paged in SQL: a tool is lent out day after day, so
 * the list grows without bound (one query per tool asked for).
 */
export async function loansOf(
  em: EntityManager,
  caller: Identity | null,
  toolCode: string,
  request: PageRequest,
): Promise<Page<ToolLoanRecord>> {
  requireRole(caller, ...READERS);
  return keysetPage(em, ToolLoanRecord, { toolCode }, request);
}

/**
 * R-IN-6 the monthly count of every tool (business month of the count): each tool counted once a
 * month, shelf against owned − on loan. Every tool row is locked, so loans cannot move under the
 * count and two keepers counting at once queue — the second is told the month is counted
 * (`ALREADY_COUNTED`; the unique month backs that up).
 */
export async function countTools(
  deps: InventoryDeps,
  caller: Identity | null,
  counts: readonly { toolCode?: string | null; counted?: number | null }[],
): Promise<ToolCountRecord> {
  const me = requireRole(caller, ...KEEPERS);
  const now = deps.now();
  const month = deps.calendar.localDate(now).slice(0, 7);
  return deps.orm.em.fork().transactional(async (em) => {
    const tools = await em.find(
      ToolRecord,
      {},
      { orderBy: { code: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const done = await em.findOne(ToolCountRecord, { month });
    if (done) {
      throw conflict(
        `the tools were already counted for ${month} (by ${done.countedBy})`,
        'ALREADY_COUNTED',
      );
    }
    const open = await em.find(ToolLoanRecord, { returnedAt: null });
    const { lines, discrepancies } = toolCount(tools.map(toolOf), open.map(loanOf), counts);
    const record = Object.assign(new ToolCountRecord(), {
      id: uuidv7(),
      month,
      countedBy: me.userId,
      countedAt: now,
      lines,
      discrepancies: discrepancies.length,
    });
    em.persist(record);
    return record;
  });
}

const MONTH = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

/**
 * R-IN-6 the tool counts, newest first (one a month, so newest month first), or the count of one
 * month ("YYYY-MM"), paged.
 */
export async function toolCounts(
  em: EntityManager,
  caller: Identity | null,
  month: string | null | undefined,
  request: PageRequest = {},
): Promise<Page<ToolCountRecord>> {
  requireRole(caller, ...READERS);
  if (month && !MONTH.test(month)) {
    throw invalidArgument('month is written YYYY-MM', 'month', 'INVALID_MONTH');
  }
  return keysetPage(em, ToolCountRecord, month ? { month } : {}, request);
}
