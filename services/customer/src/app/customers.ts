import { events } from '@aftercare/events';
import {
  type EntityManager,
  type Identity,
  type Logger,
  type NumberSeries,
  type Page,
  type PageRequest,
  changeOneIn,
  conflict,
  createOnce,
  issueNumber,
  keysetPage,
  requireRole,
  uuidv7,
  invalidArgument,
  checkUuid,
  findByUuid,
  findByUuids,
  notFound,
} from '@aftercare/kit';
import { type FilterQuery, OptimisticLockError } from '@mikro-orm/core';
import {
  type CustomerDetails,
  type FileStatus,
  type NewCustomerInput,
  newCustomer,
  parseGrade,
  phonesOf,
  regionOf,
} from '../domain/customer';
import { type CustomerChangeInput, changeCustomer } from '../domain/customer-update';
import { liveStatus } from '../domain/retention';
import { phoneSearchKey } from '../domain/values';
import { normalisePlate, normaliseVin } from '../domain/asset';
import { AssetRecord, CustomerChangeRecord, CustomerRecord } from '../db/entities';
import { CAN_READ, CAN_WRITE } from './access';
import { type CustomerDeps } from './deps';
import { openFileCheck } from './file-completeness';
import { keyedCreate } from './once';

function applyDetails(record: CustomerRecord, d: CustomerDetails): void {
  const region = regionOf(d);
  Object.assign(record, {
    kind: d.kind,
    name: d.name,
    grade: d.grade,
    status: d.status,
    tags: d.tags,
    contacts: d.contacts,
    addresses: d.addresses,
    phones: phonesOf(d),
    province: region?.province ?? null,
    city: region?.city ?? null,
    district: region?.district ?? null,
    responsibleStaffId: d.responsibleStaffId,
  });
}

/** A destroyed file has no details to change: refused here (R-CU-4). */
const detailsOf = (r: CustomerRecord): CustomerDetails => ({
  kind: r.kind,
  name: r.name,
  grade: r.grade,
  status: liveStatus(r),
  tags: r.tags,
  contacts: r.contacts,
  addresses: r.addresses,
  responsibleStaffId: r.responsibleStaffId,
});

const eventData = (r: CustomerRecord) => ({
  customerId: r.id,
  code: r.code,
  kind: r.kind,
  name: r.name,
  grade: r.grade,
  status: liveStatus(r),
  region: { province: r.province, city: r.city, district: r.district },
  responsibleStaffId: r.responsibleStaffId,
  version: r.version,
});

/** Customer codes staff quote: `CUS-000123`, not dated, from a sequence (never blocks). */
const CUSTOMER_CODES: NumberSeries = {
  prefix: 'CUS',
  digits: 6,
  dated: false,
  source: { kind: 'sequence', name: 'customer_code_seq' },
};

/** R-CU-1: registers a customer by region, with at least one reachable contact; once per key. */
export async function createCustomer(
  deps: CustomerDeps,
  caller: Identity | null,
  input: NewCustomerInput & { idempotencyKey?: string | null },
): Promise<CustomerRecord> {
  const me = requireRole(caller, ...CAN_WRITE);
  const details = newCustomer(input);
  const once = keyedCreate('customer.createCustomer', me, input, CustomerRecord);
  return createOnce(deps.orm, once, async (em) => {
    const now = deps.now();
    const record = em.create(CustomerRecord, {
      id: uuidv7(),
      code: await issueNumber(em, CUSTOMER_CODES, deps.calendar.localDate(now)),
      createdAt: now,
      updatedAt: now,
      lastActivityAt: now,
    } as CustomerRecord);
    applyDetails(record, details);
    openFileCheck(em, record.id, now);
    deps.events.publish(em, events.customer.created, record.id, eventData(record));
    return record;
  });
}

export interface UpdateCustomerInput extends CustomerChangeInput {
  id: string;
  /** Optimistic concurrency: the version the caller last read; omit to skip the check. */
  expectedVersion?: number | null;
}

/** R-CU-1: changes are recorded as history, never overwritten silently. */
export async function updateCustomer(
  deps: CustomerDeps,
  caller: Identity | null,
  input: UpdateCustomerInput,
): Promise<CustomerRecord> {
  const me = requireRole(caller, ...CAN_WRITE);
  const id = checkUuid(input.id);
  try {
    return await deps.orm.em.fork().transactional(async (em) => {
      let changes: ReturnType<typeof changeCustomer>['changes'] = [];
      const record = await changeOneIn(em, deps.events, {
        entity: CustomerRecord,
        label: 'Customer',
        id,
        apply: (record, em) => {
          if (input.expectedVersion && input.expectedVersion !== record.version) {
            throw conflict(
              `customer ${record.code} was changed by someone else (version ${record.version}, you had ${input.expectedVersion}); reload and try again`,
              'VERSION_CONFLICT',
            );
          }
          const update = changeCustomer(detailsOf(record), input);
          if (update.changes.length === 0) return;
          const now = deps.now();
          applyDetails(record, update.details);
          record.updatedAt = now;
          if (now > record.lastActivityAt) record.lastActivityAt = now;
          changes = update.changes;
          return {
            records: update.changes.map((change) =>
              em.create(CustomerChangeRecord, {
                id: uuidv7(),
                customerId: record.id,
                field: change.field,
                oldValue: change.oldValue,
                newValue: change.newValue,
                reason: update.reason,
                changedBy: me.userId,
                changedAt: now,
              }),
            ),
          };
        },
      });
      // After the flush, so the event carries the version the change made.
      if (changes.length)
        deps.events.publish(em, events.customer.updated, record.id, {
          ...eventData(record),
          changedFields: changes.map((c) => c.field),
          changedBy: me.userId,
        });
      return record;
    });
  } catch (e) {
    if (e instanceof OptimisticLockError)
      throw conflict('customer was changed concurrently; reload and try again', 'VERSION_CONFLICT');
    throw e;
  }
}

/**
 * R-CU-4 the customer a new record joins, refused when unknown or destroyed; in the writer's
 * transaction (the activity trigger refuses a record that races the destruction).
 */
export async function liveCustomer(em: EntityManager, customerId: string): Promise<void> {
  liveStatus(await customerFile(em, customerId));
}

/** The code and status of a customer's file; NOT_FOUND when unknown. */
export async function customerFile(
  em: EntityManager,
  customerId: string,
): Promise<Pick<CustomerRecord, 'id' | 'code' | 'status'>> {
  const customer = await em.findOne(
    CustomerRecord,
    { id: customerId },
    { fields: ['id', 'code', 'status'] },
  );
  if (!customer) throw notFound('Customer', customerId);
  return customer;
}

/**
 * R-CU-4 whether an event from another service still has a file to apply to. A destroyed file is
 * gone by design: the event is skipped with a log line (its inbox row kept), not failed until it
 * is parked as poison. Asked before anything is written: a refused insert would abort the
 * consumer's transaction.
 */
export function appliesToFile(
  logger: Logger,
  status: FileStatus | undefined,
  about: Record<string, unknown>,
): boolean {
  if (status !== 'DESTROYED') return true;
  logger.info(about, 'event about a destroyed customer file (R-CU-4): nothing to apply');
  return false;
}

export async function getCustomer(
  em: EntityManager,
  caller: Identity | null,
  id: string,
): Promise<CustomerRecord> {
  requireRole(caller, ...CAN_READ);
  return findByUuid(em, CustomerRecord, 'Customer', id);
}

/** In the order asked; unknown ids are left out. One query whatever the count (entity batching). */
export async function batchGetCustomers(
  em: EntityManager,
  caller: Identity | null,
  ids: readonly string[],
): Promise<CustomerRecord[]> {
  requireRole(caller, ...CAN_READ);
  return findByUuids(em, CustomerRecord, ids);
}

export interface CustomerSearch extends PageRequest {
  query?: string | null;
  phone?: string | null;
  plateNumber?: string | null;
  vin?: string | null;
  region?: { province?: string | null; city?: string | null; district?: string | null } | null;
  grade?: string | null;
}

/** Call-centre search: by name or code, phone, plate, VIN, region, grade; newest first, keyset-paged. */
export async function searchCustomers(
  em: EntityManager,
  caller: Identity | null,
  s: CustomerSearch,
): Promise<Page<CustomerRecord>> {
  requireRole(caller, ...CAN_READ);
  const where: Record<string, unknown>[] = [];
  if (s.query?.trim()) {
    const q = `%${s.query.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push({ $or: [{ name: { $ilike: q } }, { code: { $ilike: q } }] });
  }
  if (s.phone?.trim()) {
    const key = phoneSearchKey(s.phone);
    if (key.length < 7)
      throw invalidArgument('phone needs at least 7 digits', 'phone', 'INVALID_PHONE');
    where.push({ phones: { $contains: [key] } });
  }
  if (s.plateNumber?.trim() || s.vin?.trim()) {
    const assetWhere: Record<string, string> = {};
    if (s.plateNumber?.trim()) assetWhere.plateNumber = normalisePlate(s.plateNumber);
    if (s.vin?.trim()) assetWhere.vin = normaliseVin(s.vin);
    const assets = await em.find(AssetRecord, assetWhere, { fields: ['customerId'] });
    where.push({ id: { $in: assets.map((a) => a.customerId) } });
  }
  if (s.region?.province) where.push({ province: s.region.province });
  if (s.region?.city) where.push({ city: s.region.city });
  if (s.region?.district) where.push({ district: s.region.district });
  if (s.grade) where.push({ grade: parseGrade(s.grade) });
  return keysetPage<CustomerRecord>(
    em,
    CustomerRecord,
    (where.length ? { $and: where } : {}) as FilterQuery<CustomerRecord>,
    s,
  );
}

export async function customerHistory(
  em: EntityManager,
  caller: Identity | null,
  customerId: string,
  page: PageRequest,
): Promise<Page<CustomerChangeRecord>> {
  requireRole(caller, ...CAN_READ);
  return keysetPage(
    em,
    CustomerChangeRecord,
    { customerId: checkUuid(customerId, 'customerId') },
    page,
  );
}
