import { events } from '@aftercare/events';
import {
  type EntityManager,
  type Identity,
  AppError,
  createOnce,
  requireRole,
  uuidv7,
  invalidArgument,
  notFound,
  isUuid,
  checkUuid,
  executePrepared,
  findByUuid,
  findByUuids,
  keysetPagesByParent,
  type Page,
  type ParentPageRequest,
  groupByKeys,
} from '@aftercare/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { fileDestroyed } from '@aftercare/kernel';
import {
  type AssetDetails,
  type Entitlement,
  type EntitlementTerms,
  type NewAssetInput,
  type ServiceContract,
  entitlementAt,
  newAsset,
} from '../domain/asset';
import type { FileStatus } from '../domain/customer';
import { AssetRecord } from '../db/entities';
import { CAN_READ, CAN_WRITE } from './access';
import { type CustomerDeps } from './deps';
import { liveCustomer } from './customers';
import { keyedCreate } from './once';

export const assetDetailsOf = (r: AssetRecord): AssetDetails => ({
  kind: r.kind,
  model: r.model,
  serialNumber: r.serialNumber,
  vin: r.vin,
  plateNumber: r.plateNumber,
  purchaseDate: r.purchaseDate,
  sellingDealer: r.sellingDealer,
  mileageKm: r.mileageKm,
  runningHours: r.runningHours,
  warrantyStart: r.warrantyStart,
  warrantyEnd: r.warrantyEnd,
  contract: contractOf(r),
  maintenanceCycleDays: r.maintenanceCycleDays,
  nextMaintenanceDue: r.nextMaintenanceDue,
});

/** The service contract an asset's columns describe: none unless number and dates are all set. */
const contractOf = (
  r: Pick<AssetRecord, 'contractNumber' | 'contractKind' | 'contractStart' | 'contractEnd'>,
): ServiceContract | null =>
  r.contractNumber && r.contractStart && r.contractEnd
    ? {
        number: r.contractNumber,
        kind: r.contractKind,
        startDate: r.contractStart,
        endDate: r.contractEnd,
      }
    : null;

/**
 * R-CU-2: one asset, one file — a VIN or serial number is registered once, to one customer.
 * A repeat with the same idempotency key returns that file instead of ASSET_ALREADY_REGISTERED.
 */
export async function registerAsset(
  deps: CustomerDeps,
  caller: Identity | null,
  input: NewAssetInput & { customerId: string; idempotencyKey?: string | null },
): Promise<AssetRecord> {
  const me = requireRole(caller, ...CAN_WRITE);
  const customerId = checkUuid(input.customerId, 'customerId');
  const d = newAsset(input);
  const once = keyedCreate('customer.registerAsset', me, input, AssetRecord);
  try {
    return await createOnce(deps.orm, once, async (em) => {
      await liveCustomer(em, customerId);
      const record = em.create(AssetRecord, {
        id: uuidv7(),
        customerId,
        kind: d.kind,
        model: d.model,
        serialNumber: d.serialNumber,
        vin: d.vin,
        plateNumber: d.plateNumber,
        purchaseDate: d.purchaseDate,
        sellingDealer: d.sellingDealer,
        mileageKm: d.mileageKm,
        runningHours: d.runningHours,
        warrantyStart: d.warrantyStart,
        warrantyEnd: d.warrantyEnd,
        contractNumber: d.contract?.number ?? null,
        contractKind: d.contract?.kind ?? null,
        contractStart: d.contract?.startDate ?? null,
        contractEnd: d.contract?.endDate ?? null,
        maintenanceCycleDays: d.maintenanceCycleDays,
        nextMaintenanceDue: d.nextMaintenanceDue,
        // Checked by newAsset already.
        lastMaintenance: input.lastMaintenance || null,
        unitSwaps: [],
        createdAt: deps.now(),
        version: 1,
      });
      await em.flush();
      deps.events.publish(em, events.customer.assetRegistered, record.id, {
        assetId: record.id,
        customerId,
        ...d,
      });
      return record;
    });
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException) {
      throw new AppError(
        'ALREADY_EXISTS',
        `an asset with this ${d.vin ? 'VIN' : 'serial number'} already has a file`,
        {
          reason: 'ASSET_ALREADY_REGISTERED',
          field: d.vin ? 'vin' : 'serialNumber',
        },
      );
    }
    throw e;
  }
}

export async function getAsset(
  em: EntityManager,
  caller: Identity | null,
  id: string,
): Promise<AssetRecord> {
  requireRole(caller, ...CAN_READ);
  return findByUuid(em, AssetRecord, 'Asset', id);
}

export async function batchGetAssets(
  em: EntityManager,
  caller: Identity | null,
  ids: readonly string[],
): Promise<AssetRecord[]> {
  requireRole(caller, ...CAN_READ);
  return findByUuids(em, AssetRecord, ids);
}

/** Assets of many customers in one query (for `Customer.assets` on a list of customers). */
export async function assetsOfCustomers(
  em: EntityManager,
  caller: Identity | null,
  customerIds: readonly string[],
): Promise<AssetRecord[][]> {
  requireRole(caller, ...CAN_READ);
  const wanted = [...new Set(customerIds)].filter(isUuid);
  const found = wanted.length
    ? await em.find(AssetRecord, { customerId: { $in: wanted } }, { orderBy: { id: 'asc' } })
    : [];
  return groupByKeys(customerIds, found, (a) => a.customerId);
}

/**
 * Customers' assets, newest first, a keyset page per customer in one query for a whole list of
 * customers: a fleet customer's files grow with every vehicle, so they are never fetched whole.
 */
export async function assetPagesOf(
  em: EntityManager,
  caller: Identity | null,
  requests: readonly ParentPageRequest[],
): Promise<Page<AssetRecord>[]> {
  requireRole(caller, ...CAN_READ);
  return keysetPagesByParent(em, AssetRecord, 'customerId', requests);
}

export interface EntitlementAnswer extends Entitlement {
  assetId: string;
  customerId: string;
  at: Date;
}

/** The columns of an asset its entitlement is computed from, and its owner's file status. */
interface EntitlementRow {
  customer_id: string;
  warranty_start: string | null;
  warranty_end: string | null;
  contract_number: string | null;
  contract_kind: string | null;
  contract_start: string | null;
  contract_end: string | null;
  owner_status: FileStatus | null;
}

/**
 * R-WO-1: warranty, contract or paid for an asset at an instant (default now). Work-order intake
 * asks this first, so it refuses an asset of a destroyed file without a call of its own: the
 * owner's status comes in the asset's statement. A plain read of the columns the answer needs, not
 * a managed entity: the unit of work's hydration and identity map cost more than the statement
 * (ADR 0034).
 */
export async function serviceEntitlement(
  deps: CustomerDeps,
  em: EntityManager,
  caller: Identity | null,
  assetId: string,
  at?: Date | null,
): Promise<EntitlementAnswer> {
  requireRole(caller, ...CAN_READ);
  const id = checkUuid(assetId);
  const [row] = await executePrepared<EntitlementRow>(
    em,
    `select a.customer_id, a.warranty_start, a.warranty_end, a.contract_number, a.contract_kind,
            a.contract_start, a.contract_end, c.status as owner_status
       from asset a left join customer c on c.id = a.customer_id
      where a.id = ?`,
    [id],
  );
  if (!row) throw notFound('Asset', assetId);
  const terms: EntitlementTerms = {
    warrantyStart: row.warranty_start,
    warrantyEnd: row.warranty_end,
    contract: contractOf({
      contractNumber: row.contract_number,
      contractKind: row.contract_kind,
      contractStart: row.contract_start,
      contractEnd: row.contract_end,
    }),
  };
  return entitlementOf(
    deps,
    caller,
    { id, customerId: row.customer_id },
    terms,
    row.owner_status ?? undefined,
    at,
  );
}

/**
 * R-WO-1 the entitlement of an asset already read, its owner's file status beside it: none for an
 * asset of a destroyed file (R-CU-4, CONFLICT FILE_DESTROYED on `assetId`).
 */
export function entitlementOf(
  deps: CustomerDeps,
  caller: Identity | null,
  asset: Pick<AssetRecord, 'id' | 'customerId'>,
  terms: EntitlementTerms,
  ownerStatus: FileStatus | undefined,
  at?: Date | null,
): EntitlementAnswer {
  requireRole(caller, ...CAN_READ);
  if (ownerStatus === 'DESTROYED') throw fileDestroyed(asset.customerId, 'assetId');
  const when = at ?? deps.now();
  if (Number.isNaN(when.getTime()))
    throw invalidArgument('at is not a valid time', 'at', 'INVALID_TIME');
  return {
    ...entitlementAt(terms, when, deps.timeZone),
    assetId: asset.id,
    customerId: asset.customerId,
    at: when,
  };
}
