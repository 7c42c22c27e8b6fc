import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  type CustomerArchiveHandoverLate,
  events,
  type WorkOrderCompleted,
} from '@aftercare/events';
import {
  AppError,
  changeOne,
  checkUuid,
  conflict,
  createOnce,
  type EntityManager,
  eventMessage,
  groupByKeys,
  type Identity,
  instant,
  isUuid,
  keysetPage,
  type Logger,
  notFound,
  notInFuture,
  type Page,
  type PageRequest,
  requireRole,
  staffId,
  uuidv7,
} from '@aftercare/kit';
import {
  ArchiveDocumentRecord,
  ArchiveHandoverRecord,
  AssetRecord,
  CustomerRecord,
} from '../db/entities';
import {
  assessHandover,
  handoverDueAt,
  type HandoverSource,
  parseReceipt,
  type ReceiptInput,
} from '../domain/archive';
import { CAN_READ_ARCHIVE, CAN_RECEIVE_ARCHIVE, CAN_RECORD_SALE } from './access';
import { type CustomerDeps } from './deps';
import { appliesToFile, liveCustomer } from './customers';
import { keyedCreate } from './once';

interface NewHandover {
  customerId: string;
  assetId: string | null;
  workOrderId: string | null;
  source: HandoverSource;
  triggerKey: string;
  eventAt: Date;
  responsibleStaffId: string | null;
}

function createHandover(em: EntityManager, deps: CustomerDeps, h: NewHandover) {
  return em.create(ArchiveHandoverRecord, {
    id: uuidv7(),
    ...h,
    dueAt: handoverDueAt(h.source, h.eventAt, deps.calendar),
    missingKinds: [],
    unsignedKinds: [],
    createdAt: deps.now(),
  });
}

export interface RecordSaleInput {
  assetId?: string | null;
  soldAt?: Date | string | null;
  salesAdvisorId?: string | null;
  idempotencyKey?: string | null;
}

/**
 * R-CU-3: sales records the sale of an asset (the vehicle handed to the customer); the new-vehicle
 * file is then due from the sales advisor within 3 working days. One sale per asset (a repeat
 * with the same idempotency key returns the recorded sale instead of SALE_ALREADY_RECORDED).
 */
export async function recordSale(
  deps: CustomerDeps,
  caller: Identity | null,
  input: RecordSaleInput,
): Promise<ArchiveHandoverRecord> {
  const me = requireRole(caller, ...CAN_RECORD_SALE);
  const assetId = checkUuid(input.assetId, 'assetId');
  const now = deps.now();
  const soldAt = notInFuture(input.soldAt ? instant(input.soldAt, 'soldAt') : now, now, 'soldAt');
  const advisor = input.salesAdvisorId
    ? staffId(input.salesAdvisorId, 'salesAdvisorId')
    : me.userId;
  const once = keyedCreate('customer.recordAssetSale', me, input, ArchiveHandoverRecord);
  try {
    return await createOnce(deps.orm, once, async (em) => {
      const asset = await em.findOne(AssetRecord, { id: assetId });
      if (!asset) throw notFound('Asset', assetId);
      await liveCustomer(em, asset.customerId);
      return createHandover(em, deps, {
        customerId: asset.customerId,
        assetId,
        workOrderId: null,
        source: 'SALES',
        triggerKey: `SALE:${assetId}`,
        eventAt: soldAt,
        responsibleStaffId: advisor,
      });
    });
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException) {
      throw new AppError('ALREADY_EXISTS', 'the sale of this asset is already recorded', {
        reason: 'SALE_ALREADY_RECORDED',
        field: 'assetId',
      });
    }
    throw e;
  }
}

const violationFacts = (h: ArchiveHandoverRecord): CustomerArchiveHandoverLate => ({
  handoverId: h.id,
  customerId: h.customerId,
  assetId: h.assetId,
  workOrderId: h.workOrderId,
  source: h.source,
  responsibleStaffId: h.responsibleStaffId,
  dueAt: h.dueAt.toISOString(),
  receivedAt: h.receivedAt?.toISOString() ?? null,
  late: h.late ?? true,
  missingKinds: h.missingKinds,
  unsignedKinds: h.unsignedKinds,
  violatedAt: (h.late === false && h.receivedAt ? h.receivedAt : h.dueAt).toISOString(),
});

/** The violation event, at most once per handover (the notice time is stored in the same transaction). */
function reportViolation(deps: CustomerDeps, h: ArchiveHandoverRecord) {
  if (h.violationNotifiedAt) return [];
  h.violationNotifiedAt = deps.now();
  return [eventMessage(events.customer.archiveHandoverLate, violationFacts(h))];
}

/**
 * R-CU-3: the archive clerk records what was handed over, by whom, with or without the customer's
 * signatures. A late or incomplete receipt is a violation reported once — not again when the
 * scheduler already reported the missed deadline.
 */
export async function receiveHandover(
  deps: CustomerDeps,
  caller: Identity | null,
  input: ReceiptInput & { handoverId?: string | null },
): Promise<ArchiveHandoverRecord> {
  const me = requireRole(caller, ...CAN_RECEIVE_ARCHIVE);
  const handoverId = checkUuid(input.handoverId, 'handoverId');
  const receipt = parseReceipt(input, deps.now());
  return changeOne(deps, {
    entity: ArchiveHandoverRecord,
    label: 'ArchiveHandover',
    id: handoverId,
    apply: async (h, em) => {
      if (h.receivedAt) throw conflict('this handover was already received', 'ALREADY_RECEIVED');
      await liveCustomer(em, h.customerId);
      const assessment = assessHandover(h.source, h.dueAt, receipt.receivedAt, receipt.documents);
      Object.assign(h, {
        receivedAt: receipt.receivedAt,
        receivedBy: me.userId,
        handedOverBy: receipt.handedOverBy,
        late: assessment.late,
        missingKinds: assessment.missingKinds,
        unsignedKinds: assessment.unsignedKinds,
      });
      // After-sales: the service advisor handing the file over answers for it (the work order names
      // none; its lead technician was only a stand-in). Sales: the advisor named at the sale.
      if (h.source === 'AFTER_SALES' || !h.responsibleStaffId) {
        h.responsibleStaffId = receipt.handedOverBy;
      }
      const documents = receipt.documents.map((d) =>
        em.create(ArchiveDocumentRecord, {
          id: uuidv7(),
          handoverId: h.id,
          customerId: h.customerId,
          assetId: h.assetId,
          ...d,
          handedOverBy: receipt.handedOverBy,
          receivedBy: me.userId,
          receivedAt: receipt.receivedAt,
        }),
      );
      return { records: documents, events: assessment.violation ? reportViolation(deps, h) : [] };
    },
  });
}

/**
 * R-CU-3: handovers past their deadline with nothing handed over are reported once. Rows are
 * claimed with SKIP LOCKED and marked in the event's transaction, so replicas never report twice.
 */
export async function scanOverdueHandovers(deps: CustomerDeps): Promise<number> {
  const now = deps.now();
  return deps.orm.em.fork().transactional(async (em) => {
    const overdue = await em.find(
      ArchiveHandoverRecord,
      { receivedAt: null, violationNotifiedAt: null, dueAt: { $lt: now } },
      { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE, orderBy: { dueAt: 'asc' }, limit: 500 },
    );
    for (const h of overdue)
      for (const message of reportViolation(deps, h)) deps.events.publishMessage(em, h.id, message);
    return overdue.length;
  });
}

/**
 * R-CU-3 after-sales: a vehicle taken back to the workshop (resolution TAKE_BACK) is returned when
 * its work order completes; its service file is then due within 1 working day. The work order
 * names no service advisor, so the lead technician (or the first one) answers for a missed
 * deadline; once received, the service advisor who handed it over answers for it. Keyed by the work order: a redelivered event opens nothing new.
 * None for a destroyed file (R-CU-4).
 */
export async function openReturnHandover(
  deps: CustomerDeps,
  logger: Logger,
  em: EntityManager,
  e: WorkOrderCompleted,
  eventTime: string,
): Promise<void> {
  if (e.resolution !== 'TAKE_BACK') return;
  if (!e.customerId) {
    logger.warn(
      { workOrderId: e.workOrderId },
      'returned vehicle without a customer: no archive handover',
    );
    return;
  }
  const triggerKey = `WORKORDER:${e.workOrderId}`;
  if (await em.findOne(ArchiveHandoverRecord, { triggerKey })) return;
  const file = await em.findOne(CustomerRecord, { id: e.customerId }, { fields: ['id', 'status'] });
  if (!file) {
    logger.error(
      { workOrderId: e.workOrderId },
      'work order of an unknown customer: no archive handover',
    );
    return;
  }
  if (!appliesToFile(logger, file.status, { workOrderId: e.workOrderId, customerId: file.id }))
    return;
  const asset = e.assetId && (await em.findOne(AssetRecord, { id: e.assetId }, { fields: ['id'] }));
  createHandover(em, deps, {
    customerId: e.customerId,
    assetId: asset ? e.assetId : null,
    workOrderId: e.workOrderId,
    source: 'AFTER_SALES',
    triggerKey,
    eventAt: new Date(e.completedAt ?? eventTime),
    responsibleStaffId: e.leadTechnicianId ?? e.technicianIds[0] ?? null,
  });
}

export async function getHandover(em: EntityManager, caller: Identity | null, id: string) {
  requireRole(caller, ...CAN_READ_ARCHIVE);
  const handover = isUuid(id) ? await em.findOne(ArchiveHandoverRecord, { id }) : null;
  if (!handover) throw notFound('ArchiveHandover', id);
  return handover;
}

/** A customer's or an asset's archive handovers, newest first, keyset-paged (one due per sale or return). */
export async function handoversOf(
  em: EntityManager,
  caller: Identity | null,
  field: 'customerId' | 'assetId',
  id: string,
  page: PageRequest,
): Promise<Page<ArchiveHandoverRecord>> {
  requireRole(caller, ...CAN_READ_ARCHIVE);
  return keysetPage(em, ArchiveHandoverRecord, { [field]: checkUuid(id, field) }, page);
}

export async function documentsOf(
  em: EntityManager,
  caller: Identity | null,
  handoverIds: readonly string[],
): Promise<ArchiveDocumentRecord[][]> {
  requireRole(caller, ...CAN_READ_ARCHIVE);
  const wanted = [...new Set(handoverIds)];
  const found = wanted.length
    ? await em.find(
        ArchiveDocumentRecord,
        { handoverId: { $in: wanted } },
        { orderBy: { id: 'asc' } },
      )
    : [];
  return groupByKeys(handoverIds, found, (d) => d.handoverId);
}
