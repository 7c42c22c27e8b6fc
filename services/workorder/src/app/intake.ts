import type { WorkOrderRegistered, WorkOrderRepeatRepair } from '@aftercare/events';
import { events } from '@aftercare/events';
import {
  createOnce,
  type EntityManager,
  type Identity,
  idempotencyKey,
  insertAlone,
  insertPending,
  invalidArgument,
  requireRole,
  uuidv7,
} from '@aftercare/kit';
import { WorkOrderRecord } from '../db/entities';
import {
  computeDeadlines,
  type IntakeInput,
  isRepeatRepair,
  orderEventData,
  parseIntake,
  selectPolicy,
  serviceTypeFor,
  stationAtIntake,
} from '../domain';
import { CAN_REGISTER } from './access';
import { type WorkOrderDeps } from './deps';
import { historyRecord } from './mutate';
import { pendingOrderNumber } from './numbers';
import { intakeContext } from './queries';

/**
 * R-WO-1 intake: validates the request, checks customer and asset with the customer service and
 * fixes the service type from the entitlement at the time of the call, computes the SLA
 * deadlines (R-WO-3) and flags a repeat repair (R-WO-8). Nothing is written unless all of that
 * succeeded: with the customer service down the caller gets UNAVAILABLE and no half-made order.
 * The same checks refuse a destroyed customer file or an asset of one (R-CU-4, FILE_DESTROYED).
 * With an idempotency key a repeat returns the order registered the first time.
 */
export async function registerWorkOrder(
  deps: WorkOrderDeps,
  caller: Identity | null,
  input: IntakeInput & { idempotencyKey?: string | null },
): Promise<WorkOrderRecord> {
  const me = requireRole(caller, ...CAN_REGISTER);
  const intake = parseIntake(input, { now: deps.now(), categories: deps.categories });
  const key = idempotencyKey(input.idempotencyKey);
  // One call to the customer service when the asset is named: its owner exists (an asset refers to
  // its customer), so a named customer is looked up on its own only without an asset or when it
  // does not own the asset (NOT_FOUND before ASSET_OF_ANOTHER_CUSTOMER for one that is not there).
  const entitlement = intake.assetId
    ? await deps.customers.entitlement(intake.assetId, intake.calledAt, me)
    : null;
  if (intake.customerId && entitlement?.customerId !== intake.customerId) {
    await deps.customers.assertCustomer(intake.customerId, me);
    if (entitlement)
      throw invalidArgument(
        'the asset belongs to another customer',
        'assetId',
        'ASSET_OF_ANOTHER_CUSTOMER',
      );
  }
  const serviceType = serviceTypeFor(entitlement?.kind ?? null, intake.internalKind);
  const once = {
    operation: 'workorder.registerWorkOrder',
    caller: me,
    key,
    request: input,
    load: (em: EntityManager, id: string) => em.findOneOrFail(WorkOrderRecord, { id }),
  };

  // Read in one statement before the transaction: under READ COMMITTED a statement sees what was
  // committed when it began, inside a transaction or not. The transaction then holds a connection
  // only for the day's number and the inserts (a keyed repeat pays this read for nothing).
  const reads = deps.orm.em.fork();
  const policies = await deps.slaPolicies.current(reads);
  const { registrarStation, previous } = await intakeContext(reads, {
    registrarId: intake.stationCode ? null : me.userId,
    assetId: intake.assetId,
  });
  const station = stationAtIntake(
    intake.stationCode,
    registrarStation,
    deps.defaultStation ?? null,
  );
  const policy = intake.areaType
    ? selectPolicy(policies, {
        areaType: intake.areaType,
        distanceKm: intake.distanceKm ?? 0,
        category: intake.category,
        supplierInvolved: intake.supplierInvolved,
      })
    : null;
  const deadlines = policy ? computeDeadlines(policy, intake.calledAt, deps.calendar) : null;

  // The day's number is drawn by the statement that inserts the order, its history line and its
  // events, so the day's row, locked until commit and serialising intakes, is held for that
  // statement (and a keyed create's COMMIT) alone. Until then the order and the event data carry
  // the number's token, which that statement replaces (the column and the events' `number`).
  const number = pendingOrderNumber('WO', intake.calledAt, deps.calendar);
  const persist = (em: EntityManager): WorkOrderRecord => {
    const now = deps.now();
    const repeatOf = isRepeatRepair(
      { assetId: intake.assetId, category: intake.category, calledAt: intake.calledAt },
      previous,
      deps.repeatWindowDays,
    );
    const order = Object.assign(new WorkOrderRecord(), {
      id: uuidv7(),
      number: number.token,
      customerId: intake.customerId,
      assetId: intake.assetId,
      contact: intake.contact,
      addressLine: intake.address?.line ?? null,
      province: intake.address?.region.province ?? null,
      city: intake.address?.region.city ?? null,
      district: intake.address?.region.district ?? null,
      areaType: intake.areaType,
      distanceKm: intake.distanceKm,
      faultDescription: intake.faultDescription,
      category: intake.category,
      channel: intake.channel,
      serviceType,
      entitlementReason: entitlement?.reason ?? null,
      internalKind: intake.internalKind,
      status: 'REGISTERED',
      slaPolicyId: policy?.id ?? null,
      // R-WO-12: the order keeps this version; later edits of the policy leave its deadlines alone.
      slaPolicyVersion: policy?.version ?? null,
      supplierInvolved: intake.supplierInvolved,
      productLine: intake.productLine,
      calledAt: intake.calledAt,
      registeredBy: me.userId,
      stationCode: station,
      answerDueAt: deadlines?.answerDueAt ?? null,
      arrivalDueAt: deadlines?.arrivalDueAt ?? null,
      onSiteDueAt: deadlines?.onSiteDueAt ?? null,
      technicianIds: [],
      repeatOfId: repeatOf?.id ?? null,
      goodsRegister: [],
      createdAt: now,
      updatedAt: now,
    });
    em.persist(order);
    em.persist(
      historyRecord(
        order.id,
        {
          action: 'register',
          fromStatus: null,
          toStatus: 'REGISTERED',
          details: station ? { stationCode: station } : null,
        },
        me,
        now,
      ),
    );
    deps.events.publish(em, events.workorder.registered, order.id, {
      ...orderEventData(order),
      channel: order.channel,
      answerDueAt: order.answerDueAt?.toISOString() ?? null,
      arrivalDueAt: order.arrivalDueAt?.toISOString() ?? null,
      onSiteDueAt: order.onSiteDueAt?.toISOString() ?? null,
      registeredBy: me.userId,
    } satisfies WorkOrderRegistered);
    if (repeatOf) {
      deps.events.publish(em, events.workorder.repeatRepair, order.id, {
        ...orderEventData(order),
        repeatOfWorkOrderId: repeatOf.id,
        previousCompletedAt: repeatOf.completedAt.toISOString(),
        windowDays: deps.repeatWindowDays,
        // Who did the earlier repair: the penalty ledger (R-PN) charges them, not the new team.
        previousTechnicianIds: previous.find((p) => p.id === repeatOf.id)?.technicianIds ?? [],
      } satisfies WorkOrderRepeatRepair);
    }
    return order;
  };
  // The number, order, history line and outbox rows in one statement; afterwards the order holds
  // its number. Without a key that statement is the whole transaction.
  if (!key) return insertAlone(deps.orm, deps.events, persist, number);
  return createOnce(deps.orm, once, async (em) => {
    const order = persist(em);
    await insertPending(em, number);
    return order;
  });
}
