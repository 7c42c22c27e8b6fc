import { events, type WorkOrderCompleted } from '@aftercare/events';
import {
  changeOneIn,
  checkUuid,
  type EntityManager,
  eventMessage,
  type Identity,
  keysetPage,
  type Logger,
  type Page,
  type PageRequest,
  requireRole,
  type Role,
  uuidv7,
} from '@aftercare/kit';
import {
  type AssetChange,
  type AssetFile,
  changesFromService,
  type ContractInput,
  extendContract,
  type ReadingInput,
  recordMaintenance,
  recordReading,
  renewContract,
  startWarranty,
  swapUnit,
  transferOwnership,
  type UnitSwapInput,
} from '../domain/asset-lifecycle';
import { localDate } from '../domain/values';
import { AssetChangeRecord, AssetRecord } from '../db/entities';
import { CAN_READ, CAN_RECORD_SERVICE, CAN_WRITE } from './access';
import { assetDetailsOf } from './assets';
import { appliesToFile, liveCustomer } from './customers';
import { type CustomerDeps } from './deps';

const fileOf = (r: AssetRecord): AssetFile => ({
  ...assetDetailsOf(r),
  customerId: r.customerId,
  lastMaintenance: r.lastMaintenance,
  unitSwaps: r.unitSwaps,
});

function applyFile(r: AssetRecord, f: AssetFile): void {
  Object.assign(r, {
    customerId: f.customerId,
    mileageKm: f.mileageKm,
    runningHours: f.runningHours,
    warrantyStart: f.warrantyStart,
    warrantyEnd: f.warrantyEnd,
    contractNumber: f.contract?.number ?? null,
    contractKind: f.contract?.kind ?? null,
    contractStart: f.contract?.startDate ?? null,
    contractEnd: f.contract?.endDate ?? null,
    nextMaintenanceDue: f.nextMaintenanceDue,
    lastMaintenance: f.lastMaintenance,
    unitSwaps: f.unitSwaps,
  });
}

interface Changer {
  changedBy: string;
  workOrderId: string | null;
}

/**
 * R-CU-7: lock the file, let `decide` work out its changes, write each as a history line and a
 * `customer.asset_updated` event, all in the caller's transaction (changeOne).
 */
async function changeAssetIn(
  deps: CustomerDeps,
  em: EntityManager,
  assetId: string,
  by: Changer,
  decide: (file: AssetFile, em: EntityManager) => Promise<AssetChange[]> | AssetChange[],
): Promise<AssetRecord> {
  return changeOneIn(em, deps.events, {
    entity: AssetRecord,
    label: 'Asset',
    id: assetId,
    field: 'assetId',
    apply: async (record, em) => {
      await liveCustomer(em, record.customerId);
      const before = record.customerId;
      const changes = await decide(fileOf(record), em);
      const changedAt = deps.now();
      const outcome = changes.map((c) => {
        const { unitSwaps, ...file } = c.next;
        const swap = c.kind === 'UNIT_SWAP' ? unitSwaps.at(-1) : undefined;
        applyFile(record, c.next);
        record.version += 1;
        return {
          history: em.create(AssetChangeRecord, {
            id: uuidv7(),
            assetId: record.id,
            kind: c.kind,
            oldValue: c.oldValue,
            newValue: c.newValue,
            reason: c.reason,
            workOrderId: by.workOrderId,
            changedBy: by.changedBy,
            changedAt,
          }),
          event: eventMessage(events.customer.assetUpdated, {
            assetId: record.id,
            ...file,
            unitSwap: swap
              ? {
                  module: swap.module,
                  oldSerialNumber: swap.oldSerialNumber,
                  newSerialNumber: swap.newSerialNumber,
                  swappedOn: swap.swappedOn,
                }
              : null,
            change: c.kind,
            previousCustomerId: c.kind === 'OWNERSHIP' ? before : null,
            workOrderId: by.workOrderId,
            reason: c.reason,
            changedBy: by.changedBy,
            changedAt: changedAt.toISOString(),
            version: record.version,
          }),
        };
      });
      return { records: outcome.map((o) => o.history), events: outcome.map((o) => o.event) };
    },
  });
}

/** A change made at the desk: role checked first (a refusal looks nothing up), one transaction. */
const changeAsset = (
  deps: CustomerDeps,
  me: Identity,
  assetId: string,
  decide: (file: AssetFile, em: EntityManager) => Promise<AssetChange | null> | AssetChange | null,
): Promise<AssetRecord> =>
  deps.orm.em.fork().transactional((em) =>
    changeAssetIn(deps, em, assetId, { changedBy: me.userId, workOrderId: null }, async (f, em) => {
      const c = await decide(f, em);
      return c ? [c] : [];
    }),
  );

const today = (deps: CustomerDeps) => localDate(deps.now(), deps.timeZone);

type On<T> = T & { assetId: string };

/** A use case changing one asset file at the desk as one of `roles`, the change decided by `rule`. */
const deskChange =
  <I extends { assetId: string }>(
    roles: Role[],
    rule: (file: AssetFile, input: I, deps: CustomerDeps) => AssetChange | null,
  ) =>
  (deps: CustomerDeps, caller: Identity | null, input: I): Promise<AssetRecord> => {
    const me = requireRole(caller, ...roles);
    return changeAsset(deps, me, input.assetId, (f) => rule(f, input, deps));
  };

/** R-CU-7: a mileage or running-hours reading; lower than the file's only with a reason. */
export const recordAssetReading = deskChange(CAN_RECORD_SERVICE, (f, input: On<ReadingInput>) =>
  recordReading(f, input),
);

/** R-CU-7: a maintenance done moves the next maintenance due by the asset's cycle. */
export const recordAssetMaintenance = deskChange(
  CAN_RECORD_SERVICE,
  (f, input: On<{ doneOn?: string | null; reason?: string | null }>, deps) =>
    recordMaintenance(f, input, today(deps)),
);

/** R-CU-7: a unit or module exchanged, both serial numbers kept. */
export const recordAssetUnitSwap = deskChange(
  CAN_RECORD_SERVICE,
  (f, input: On<UnitSwapInput>, deps) => swapUnit(f, input, today(deps)),
);

/** R-CU-7: a new service contract term; the earlier one stays in the history. */
export const renewAssetContract = deskChange(CAN_WRITE, (f, input: On<ContractInput>) =>
  renewContract(f, input),
);

/** R-CU-7: the current service contract runs longer. */
export const extendAssetContract = deskChange(
  CAN_WRITE,
  (f, input: On<{ endDate?: string | null; reason?: string | null }>) => extendContract(f, input),
);

/** R-CU-7: the warranty starts (an installation or commissioning recorded at the desk). */
export const startAssetWarranty = deskChange(
  CAN_WRITE,
  (
    f,
    input: On<{ startDate?: string | null; endDate?: string | null; reason?: string | null }>,
    deps,
  ) => startWarranty(f, input, deps.warrantyMonths),
);

/** R-CU-7: the asset passes to another customer; the new owner must have a file. */
export function transferAsset(
  deps: CustomerDeps,
  caller: Identity | null,
  input: On<{ newCustomerId: string; reason?: string | null }>,
): Promise<AssetRecord> {
  const me = requireRole(caller, ...CAN_WRITE);
  const newCustomerId = checkUuid(input.newCustomerId, 'newCustomerId');
  return changeAsset(deps, me, input.assetId, async (f, em) => {
    const change = transferOwnership(f, { ...input, newCustomerId });
    await liveCustomer(em, newCustomerId);
    return change;
  });
}

/**
 * R-CU-7 from `workorder.completed`: the reading, swapped units, maintenance and commissioning of
 * the service report, in the consumer's transaction (its inbox makes a redelivery a no-op).
 * Nothing for an asset of a destroyed file (R-CU-4).
 */
export async function applyServiceToAsset(
  deps: CustomerDeps,
  logger: Logger,
  em: EntityManager,
  e: WorkOrderCompleted,
  eventTime: string,
): Promise<void> {
  const work = e.assetWork;
  if (!work || !e.assetId) return;
  const asset = await em.findOne(AssetRecord, { id: e.assetId }, { fields: ['id', 'ownerStatus'] });
  if (!asset) {
    logger.error(
      { workOrderId: e.workOrderId },
      'work order of an unknown asset: file not updated',
    );
    return;
  }
  if (!appliesToFile(logger, asset.ownerStatus, { workOrderId: e.workOrderId, assetId: e.assetId }))
    return;
  const completedOn = localDate(new Date(e.completedAt ?? eventTime), deps.timeZone);
  const by = {
    changedBy: e.leadTechnicianId ?? e.technicianIds[0] ?? 'workorder',
    workOrderId: e.workOrderId,
  };
  await changeAssetIn(deps, em, e.assetId, by, (file) =>
    changesFromService(file, work, {
      completedOn,
      workOrderId: e.workOrderId,
      number: e.number,
      warrantyMonths: deps.warrantyMonths,
    }),
  );
}

/** R-CU-7: every change of the file with who, when and why, newest first. */
export function assetHistory(
  em: EntityManager,
  caller: Identity | null,
  assetId: string,
  page: PageRequest,
): Promise<Page<AssetChangeRecord>> {
  requireRole(caller, ...CAN_READ);
  return keysetPage(em, AssetChangeRecord, { assetId: checkUuid(assetId, 'assetId') }, page);
}
