import {
  changeOne,
  changeOneIn,
  type ChangeOneSpec,
  checkUuid,
  createOnce,
  eventMessage,
  groupByKeys,
  type EntityManager,
  findByUuid,
  type Identity,
  idempotencyKey,
  keysetPage,
  notFound,
  oneOf,
  type Page,
  type PageRequest,
  requireRole,
  type Role,
  uuidv7,
} from '@aftercare/kit';
import { events } from '@aftercare/events';
import { ClaimDepositPaymentRecord, ClaimOrderRecord, PartRecord } from '../db/entities';
import {
  assertTakesPayment,
  cancelClaimOrder,
  CLAIM_ORDER_STATUSES,
  type ClaimOrderInput,
  type ClaimOrderState,
  forfeitClaimOrder,
  openClaimOrder,
  payDeposit,
  placeClaimOrder,
  settleClaimOrder,
} from '../domain';
import type { InventoryDeps } from './deps';

/** The service adviser (agent) talks to the customer and takes the deposit (seed rule). */
const CAN_OPEN: Role[] = ['agent', 'workshop', 'warehouse', 'manager'];
const CAN_TAKE_DEPOSIT: Role[] = ['agent', 'manager'];
const CAN_SIGN: Role[] = ['workshop', 'manager'];
const CAN_SETTLE: Role[] = ['warehouse', 'workshop', 'manager'];
/** Keeping a customer's money is a manager's decision. */
const CAN_FORFEIT: Role[] = ['manager'];
const CAN_CANCEL: Role[] = ['agent', 'manager'];
/**
 * R-IN-4 who reads claim orders (a customer's deposit and the part ordered for them): whoever
 * opens, takes the deposit of, signs off or settles one, customer relations (who answer the
 * customer about the deposit) and the auditor — not technicians, tool keepers or dispatchers,
 * who handle none of it (ADR 0014).
 */
const CLAIM_READERS: Role[] = [
  'agent',
  'workshop',
  'warehouse',
  'customer_relations',
  'manager',
  'auditor',
];

const stateOf = (r: ClaimOrderRecord): ClaimOrderState => ({ ...r });

/** R-IN-4: a claim order for a customer, possibly asking a deposit; once per idempotency key. */
export async function openClaim(
  deps: InventoryDeps,
  caller: Identity | null,
  input: Omit<ClaimOrderInput, 'id'> & { idempotencyKey?: string | null },
): Promise<ClaimOrderRecord> {
  const me = requireRole(caller, ...CAN_OPEN);
  const workOrderId = input.workOrderId ? checkUuid(input.workOrderId, 'workOrderId') : null;
  const key = idempotencyKey(input.idempotencyKey);
  const order = openClaimOrder({ ...input, workOrderId, id: uuidv7() }, me.userId, deps.now());
  // A part is ordered for a repair still in progress; the work-order service is the judge.
  if (workOrderId) await deps.workOrders.openForParts(workOrderId, me);
  const once = {
    operation: 'inventory.openClaimOrder',
    caller: me,
    key,
    request: input,
    load: (em: EntityManager, id: string) => em.findOneOrFail(ClaimOrderRecord, { id }),
  };
  return createOnce(deps.orm, once, async (em) => {
    // Claims are for catalogue parts, so each line resolves to a part on the graph.
    const codes = order.lines.map((l) => l.partCode);
    const known = await em.find(PartRecord, { code: { $in: codes } }, { fields: ['code'] });
    const unknown = codes.find((c) => !known.some((k) => k.code === c));
    if (unknown) throw notFound('Part', unknown);
    const record = Object.assign(new ClaimOrderRecord(), order);
    em.persist(record);
    return record;
  });
}

type Step = (order: ClaimOrderState, em: EntityManager, now: Date) => ClaimOrderState;

/** Locks the claim order and applies a domain step; an order that ends says so on the stream. */
const claimChange = (
  id: string,
  deps: InventoryDeps,
  step: Step,
): ChangeOneSpec<ClaimOrderRecord> => ({
  entity: ClaimOrderRecord,
  label: 'ClaimOrder',
  id,
  field: 'claimOrderId',
  apply: (record, em) => {
    const next = step(stateOf(record), em, deps.now());
    Object.assign(record, next);
    if (next.status !== 'SETTLED' && next.status !== 'FORFEITED' && next.status !== 'CANCELLED') {
      return;
    }
    const closed = eventMessage(events.inventory.claimOrderClosed, {
      claimOrderId: next.id,
      customerId: next.customerId,
      workOrderId: next.workOrderId,
      status: next.status,
      depositPaidFen: next.depositPaidFen,
      refundFen: next.depositRefundedFen,
      forfeitedFen: next.depositForfeitedFen,
      closedBy: next.closedBy!,
      at: next.closedAt!.toISOString(),
    });
    return { events: [closed] };
  },
});

const change = (deps: InventoryDeps, id: string, step: Step): Promise<ClaimOrderRecord> =>
  changeOne(deps, claimChange(id, deps, step));

/**
 * R-IN-4: the customer pays (part of) the deposit; each payment is kept. With an idempotency key
 * a payment is taken once: a repeat gets the claim order as it stands.
 */
export const payClaimDeposit = async (
  deps: InventoryDeps,
  caller: Identity | null,
  id: string,
  amountFen: number,
  rawKey?: string | null,
) => {
  const me = requireRole(caller, ...CAN_TAKE_DEPOSIT);
  const once = {
    operation: 'inventory.payClaimDeposit',
    caller: me,
    key: idempotencyKey(rawKey),
    request: { claimOrderId: id, amountFen },
    load: (em: EntityManager, claimId: string) =>
      em.findOneOrFail(ClaimOrderRecord, { id: claimId }),
  };
  return createOnce(deps.orm, once, (tx) =>
    changeOneIn(
      tx,
      deps.events,
      claimChange(id, deps, (order, em, now) => {
        assertTakesPayment(order);
        const paid = payDeposit(order, amountFen);
        em.persist(
          Object.assign(new ClaimDepositPaymentRecord(), {
            id: uuidv7(),
            claimOrderId: order.id,
            amountFen: paid.depositPaidFen - order.depositPaidFen,
            receivedBy: me.userId,
            receivedAt: now,
          }),
        );
        return { ...order, depositPaidFen: paid.depositPaidFen };
      }),
    ),
  );
};

/** R-IN-4: signed off and sent to the supplier once the deposit is paid. */
export const placeClaim = async (deps: InventoryDeps, caller: Identity | null, id: string) => {
  const me = requireRole(caller, ...CAN_SIGN);
  return change(deps, id, (order, _em, now) =>
    placeClaimOrder(order, { id: me.userId, roles: me.roles }, now, deps.largeClaimFen),
  );
};

/** R-IN-4: the part was fitted; the deposit is refunded. */
export const settleClaim = async (deps: InventoryDeps, caller: Identity | null, id: string) => {
  const me = requireRole(caller, ...CAN_SETTLE);
  return change(deps, id, (order, _em, now) => settleClaimOrder(order, me.userId, now));
};

export const forfeitClaim = async (
  deps: InventoryDeps,
  caller: Identity | null,
  id: string,
  reason: string,
) => {
  const me = requireRole(caller, ...CAN_FORFEIT);
  return change(deps, id, (order, _em, now) => forfeitClaimOrder(order, me.userId, reason, now));
};

export const cancelClaim = async (
  deps: InventoryDeps,
  caller: Identity | null,
  id: string,
  reason: string,
) => {
  const me = requireRole(caller, ...CAN_CANCEL);
  return change(deps, id, (order, _em, now) => cancelClaimOrder(order, me.userId, reason, now));
};

export async function getClaim(
  em: EntityManager,
  caller: Identity | null,
  id: string,
): Promise<ClaimOrderRecord> {
  requireRole(caller, ...CLAIM_READERS);
  return findByUuid(em, ClaimOrderRecord, 'ClaimOrder', id);
}

/** Claim orders, newest first, optionally of one status or work order, paged. */
export async function listClaims(
  em: EntityManager,
  caller: Identity | null,
  filter: { status?: string | null; workOrderId?: string | null } & PageRequest = {},
): Promise<Page<ClaimOrderRecord>> {
  requireRole(caller, ...CLAIM_READERS);
  return keysetPage(
    em,
    ClaimOrderRecord,
    {
      ...(filter.status ? { status: oneOf(CLAIM_ORDER_STATUSES, filter.status, 'status') } : {}),
      ...(filter.workOrderId ? { workOrderId: checkUuid(filter.workOrderId, 'workOrderId') } : {}),
    },
    filter,
  );
}

export async function depositPaymentsOf(
  em: EntityManager,
  caller: Identity | null,
  ids: readonly string[],
): Promise<ClaimDepositPaymentRecord[][]> {
  requireRole(caller, ...CLAIM_READERS);
  const found = await em.find(
    ClaimDepositPaymentRecord,
    { claimOrderId: { $in: [...ids] } },
    { orderBy: { receivedAt: 'asc' } },
  );
  return groupByKeys(ids, found, (p) => p.claimOrderId);
}
