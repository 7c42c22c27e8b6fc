import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { z } from 'zod';
import { events } from '@aftercare/events';
import {
  addDays,
  changeOneIn,
  checkUuid,
  conflict,
  createOnce,
  decodeCursor,
  encodeCursor,
  type EntityManager,
  type Identity,
  isoDate,
  isUuid,
  keysetPage,
  notFound,
  oneOf,
  type Page,
  type PageRequest,
  pageFromRows,
  pageSize,
  requireRole,
  uuidv7,
} from '@aftercare/kit';
import { ArchiveDestructionRecord, CustomerRecord } from '../db/entities';
import {
  alreadyDecidedAs,
  assertPending,
  checkDestructionApproval,
  checkDestructionRequest,
  decisionReason,
  type DestroyedRecords,
  type DestructionStatus,
  DESTRUCTION_STATUSES,
  lastActivityDayPastRetention,
  retentionEndsOn,
} from '../domain/retention';
import { CAN_APPROVE_DESTRUCTION, CAN_REQUEST_DESTRUCTION, CAN_SEE_RETENTION } from './access';
import { openArchiveLoanOf } from './archive-loans';
import { type CustomerDeps } from './deps';
import { keyedCreate } from './once';

const today = (deps: CustomerDeps) => deps.calendar.localDate(deps.now());

/** R-CU-4 the day a customer file's retention ends (ARCHIVE_RETENTION_YEARS after its last activity). */
export const retentionEndOf = (deps: CustomerDeps, c: CustomerRecord): string =>
  retentionEndsOn(deps.calendar.localDate(c.lastActivityAt), deps.retentionYears);

const retentionFacts = (deps: CustomerDeps, c: CustomerRecord) => ({
  code: c.code,
  status: c.status,
  lastActivityAt: c.lastActivityAt,
  lastActivityDay: deps.calendar.localDate(c.lastActivityAt),
});

const listCursor = z.object({ t: z.string().datetime(), id: z.string().uuid() });

export interface FilesPastRetentionRequest extends PageRequest {
  /** The day to judge on, in the business time zone; default today. */
  asOf?: string | null;
}

/**
 * R-CU-4 customer files past retention on a day (default today), oldest last activity first,
 * keyset-paged on (last activity, id) along `customer_last_activity_idx`; destroyed files are not
 * listed.
 */
export async function filesPastRetention(
  deps: CustomerDeps,
  em: EntityManager,
  caller: Identity | null,
  request: FilesPastRetentionRequest,
): Promise<Page<CustomerRecord>> {
  requireRole(caller, ...CAN_SEE_RETENTION);
  const asOf = request.asOf ? isoDate(request.asOf, 'asOf') : today(deps);
  const first = pageSize(request.first);
  const lastDay = lastActivityDayPastRetention(asOf, deps.retentionYears);
  const before = deps.calendar.fromLocal(`${addDays(lastDay, 1)}T00:00`);
  const base = { status: { $ne: 'DESTROYED' as const }, lastActivityAt: { $lt: before } };
  const after = request.after ? decodeCursor(request.after, (v) => listCursor.parse(v)) : null;
  const filter = after
    ? {
        $and: [
          base,
          {
            $or: [
              { lastActivityAt: { $gt: new Date(after.t) } },
              { lastActivityAt: new Date(after.t), id: { $gt: after.id } },
            ],
          },
        ],
      }
    : base;
  const [rows, total] = await Promise.all([
    em.find(CustomerRecord, filter, {
      orderBy: [{ lastActivityAt: 'asc' }, { id: 'asc' }],
      limit: first + 1,
    }),
    em.count(CustomerRecord, base),
  ]);
  return pageFromRows(rows, first, total, (c) =>
    encodeCursor({ t: c.lastActivityAt.toISOString(), id: c.id }),
  );
}

/**
 * R-CU-4 the archive keeper proposes a file past retention for destruction, with the reason; one
 * open request per file. Once per idempotency key.
 */
export async function requestDestruction(
  deps: CustomerDeps,
  caller: Identity | null,
  input: { customerId?: string | null; reason?: string | null; idempotencyKey?: string | null },
): Promise<ArchiveDestructionRecord> {
  const me = requireRole(caller, ...CAN_REQUEST_DESTRUCTION);
  const customerId = checkUuid(input.customerId, 'customerId');
  const reason = decisionReason(input.reason);
  const once = keyedCreate(
    'customer.requestArchiveDestruction',
    me,
    input,
    ArchiveDestructionRecord,
  );
  try {
    return await createOnce(deps.orm, once, async (em) => {
      const customer = await em.findOne(CustomerRecord, { id: customerId });
      if (!customer) throw notFound('Customer', customerId);
      const open = await em.findOne(ArchiveDestructionRecord, {
        customerId,
        status: { $in: ['REQUESTED', 'DESTROYED'] },
      });
      const endsOn = checkDestructionRequest(
        retentionFacts(deps, customer),
        today(deps),
        deps.retentionYears,
        open,
      );
      return em.create(ArchiveDestructionRecord, {
        id: uuidv7(),
        customerId,
        customerCode: customer.code,
        status: 'REQUESTED',
        reason,
        requestedBy: me.userId,
        requestedAt: deps.now(),
        lastActivityAt: customer.lastActivityAt,
        retentionEndsOn: endsOn,
        destroyedRecords: [],
      });
    });
  } catch (e) {
    // Two keepers asking at once: the partial unique index lets one request through.
    if (e instanceof UniqueConstraintViolationException)
      throw conflict(
        'the destruction of this file is already requested',
        'DESTRUCTION_ALREADY_REQUESTED',
      );
    throw e;
  }
}

/**
 * Wipes the content of a customer's file in `em`'s transaction and counts the records wiped by
 * kind. Rows stay, so that work orders, complaints and handovers elsewhere still point at ids;
 * what identifies a person goes: the customer's name, contacts, addresses, phones, tags and
 * responsible person; history values and reasons; serial numbers, VIN, plate, contract number and
 * swapped units of its assets and their history; contact-log summaries and requests; document
 * references. Updates fire no activity trigger (only inserts are activity).
 */
async function destroyContent(
  em: EntityManager,
  customer: CustomerRecord,
  now: Date,
): Promise<DestroyedRecords[]> {
  const id = customer.id;
  const count = async (sql: string): Promise<number> =>
    ((await em.execute(`${sql} RETURNING 1`, [id], 'all')) as unknown[]).length;
  const changes = await count(
    'UPDATE customer_change SET old_value = NULL, new_value = NULL, reason = NULL WHERE customer_id = ?',
  );
  const assetChanges = await count(
    `UPDATE asset_change SET old_value = NULL, new_value = NULL, reason = NULL
      WHERE asset_id IN (SELECT id FROM asset WHERE customer_id = ?)`,
  );
  const assets = await count(
    `UPDATE asset SET serial_number = NULL, vin = NULL, plate_number = NULL,
            contract_number = NULL, contract_kind = NULL, unit_swaps = '[]', version = version + 1
      WHERE customer_id = ?`,
  );
  const contacts = await count(
    `UPDATE contact_log SET summary = '', customer_request = NULL WHERE customer_id = ?`,
  );
  const documents = await count(
    'UPDATE archive_document SET reference = NULL WHERE customer_id = ?',
  );
  Object.assign(customer, {
    status: 'DESTROYED',
    name: '',
    tags: [],
    contacts: [],
    addresses: [],
    phones: [],
    province: null,
    city: null,
    district: null,
    responsibleStaffId: null,
    updatedAt: now,
  });
  return [
    { kind: 'CUSTOMER', count: 1 },
    { kind: 'CUSTOMER_CHANGE', count: changes },
    { kind: 'ASSET', count: assets },
    { kind: 'ASSET_CHANGE', count: assetChanges },
    { kind: 'CONTACT_LOG', count: contacts },
    { kind: 'ARCHIVE_DOCUMENT', count: documents },
  ];
}

/**
 * R-CU-4 a manager other than the requester approves, and the approval destroys: the file's
 * content is wiped and the request becomes the destruction record, with `customer.archive_destroyed`,
 * in one transaction. The customer row is locked first, so no record can join the file meanwhile
 * (the activity trigger refuses one for a destroyed file). A repeat by the same manager answers
 * the record as it is.
 */
export async function approveDestruction(
  deps: CustomerDeps,
  caller: Identity | null,
  input: { destructionId?: string | null },
): Promise<ArchiveDestructionRecord> {
  const me = requireRole(caller, ...CAN_APPROVE_DESTRUCTION);
  const id = checkUuid(input.destructionId, 'destructionId');
  return deps.orm.em.fork().transactional(async (em) => {
    let destroyedNow = false;
    const record = await changeOneIn(em, deps.events, {
      entity: ArchiveDestructionRecord,
      label: 'ArchiveDestruction',
      id,
      field: 'destructionId',
      apply: async (d, em) => {
        if (alreadyDecidedAs(d, 'DESTROYED', me.userId)) return;
        const customer = await em.findOneOrFail(
          CustomerRecord,
          { id: d.customerId },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        checkDestructionApproval(
          d,
          me.userId,
          retentionFacts(deps, customer),
          today(deps),
          deps.retentionYears,
        );
        // The paper file must be in the archive to be destroyed: not lent, nor promised to a
        // borrower. The customer row locked above keeps a new request out until this commits.
        const loan = await openArchiveLoanOf(em, customer.id);
        if (loan)
          throw conflict(
            `the file has an open loan (${loan.status.toLowerCase()}): it must be back in the archive first`,
            'FILE_ON_LOAN',
          );
        const now = deps.now();
        const destroyedRecords = await destroyContent(em, customer, now);
        Object.assign(d, {
          status: 'DESTROYED',
          decidedBy: me.userId,
          decidedAt: now,
          destroyedRecords,
        });
        destroyedNow = true;
      },
    });
    // Keyed by the customer, as the customer's other events are (not by the record, as changeOne would).
    if (destroyedNow)
      deps.events.publish(em, events.customer.archiveDestroyed, record.customerId, {
        customerId: record.customerId,
        code: record.customerCode,
        destructionId: record.id,
        destroyedAt: record.decidedAt!.toISOString(),
      });
    return record;
  });
}

/** R-CU-4 a manager rejects a destruction request, saying why; the file stays as it is. */
export async function rejectDestruction(
  deps: CustomerDeps,
  caller: Identity | null,
  input: { destructionId?: string | null; reason?: string | null },
): Promise<ArchiveDestructionRecord> {
  const me = requireRole(caller, ...CAN_APPROVE_DESTRUCTION);
  const id = checkUuid(input.destructionId, 'destructionId');
  const reason = decisionReason(input.reason);
  return deps.orm.em.fork().transactional((em) =>
    changeOneIn(em, deps.events, {
      entity: ArchiveDestructionRecord,
      label: 'ArchiveDestruction',
      id,
      field: 'destructionId',
      apply: (d) => {
        if (alreadyDecidedAs(d, 'REJECTED', me.userId)) return;
        assertPending(d);
        Object.assign(d, {
          status: 'REJECTED',
          decidedBy: me.userId,
          decidedAt: deps.now(),
          rejectionReason: reason,
        });
      },
    }),
  );
}

export async function getDestruction(
  em: EntityManager,
  caller: Identity | null,
  id: string,
): Promise<ArchiveDestructionRecord> {
  requireRole(caller, ...CAN_SEE_RETENTION);
  const found = isUuid(id) ? await em.findOne(ArchiveDestructionRecord, { id }) : null;
  if (!found) throw notFound('ArchiveDestruction', id);
  return found;
}

/** R-CU-4 destruction requests and records, of one file or all (optionally by status), newest first. */
export async function destructions(
  em: EntityManager,
  caller: Identity | null,
  request: PageRequest & { customerId?: string | null; status?: string | null },
): Promise<Page<ArchiveDestructionRecord>> {
  requireRole(caller, ...CAN_SEE_RETENTION);
  const filter: { customerId?: string; status?: DestructionStatus } = {};
  if (request.customerId) filter.customerId = checkUuid(request.customerId, 'customerId');
  if (request.status) filter.status = oneOf(DESTRUCTION_STATUSES, request.status, 'status');
  return keysetPage(em, ArchiveDestructionRecord, filter, request);
}
