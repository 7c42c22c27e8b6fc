import { addDays, addMonths, conflict, invalidArgument, isoDate } from '@aftercare/kit/domain';
import { type AssetDetails, type ServiceContract, nextMaintenanceDue } from './asset';
import { optionalText, requiredText } from './values';

/** R-CU-7: what one change of an asset file was. */
export const ASSET_CHANGE_KINDS = [
  'READING',
  'MAINTENANCE',
  'CONTRACT',
  'OWNERSHIP',
  'UNIT_SWAP',
  'WARRANTY',
] as const;
export type AssetChangeKind = (typeof ASSET_CHANGE_KINDS)[number];

/** A unit or module exchanged: both serial numbers stay on the file (原終端號與更新的終端號). */
export interface UnitSwap {
  module: string;
  oldSerialNumber: string;
  newSerialNumber: string;
  swappedOn: string;
  workOrderId: string | null;
}

/** The asset file as its lifecycle changes it (R-CU-2 details plus owner, last maintenance, swaps). */
export interface AssetFile extends AssetDetails {
  customerId: string;
  lastMaintenance: string | null;
  unitSwaps: UnitSwap[];
}

/** One change: the file after it and the history line (R-CU-7: who and when come from the use case). */
export interface AssetChange {
  kind: AssetChangeKind;
  next: AssetFile;
  /** The changed details before and after, for the history. */
  oldValue: Record<string, unknown>;
  newValue: Record<string, unknown>;
  reason: string | null;
}

const reasonOf = (raw: string | null | undefined) => optionalText(raw, 'reason', 500);

function change(
  kind: AssetChangeKind,
  file: AssetFile,
  patch: Partial<AssetFile>,
  reason: string | null,
): AssetChange {
  const keys = Object.keys(patch) as (keyof AssetFile)[];
  return {
    kind,
    next: { ...file, ...patch },
    oldValue: Object.fromEntries(keys.map((k) => [k, file[k]])),
    newValue: Object.fromEntries(keys.map((k) => [k, patch[k]])),
    reason,
  };
}

/** Readings are whole km / hours; a service report may carry a fraction, which is rounded. */
function reading(raw: number | null | undefined, field: string): number | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0 || raw > 100_000_000)
    throw invalidArgument(
      `${field} must be a number from 0 to 100,000,000`,
      field,
      'INVALID_NUMBER',
    );
  return Math.round(raw);
}

export interface ReadingInput {
  mileageKm?: number | null;
  runningHours?: number | null;
  reason?: string | null;
}

/**
 * R-CU-7: mileage or running hours recorded on the file, never backwards without a reason (a
 * corrected odometer, a replaced hour meter). Null when the reading is what the file says already.
 */
export function recordReading(file: AssetFile, input: ReadingInput): AssetChange | null {
  const mileageKm = reading(input.mileageKm, 'mileageKm');
  const runningHours = reading(input.runningHours, 'runningHours');
  if (mileageKm === null && runningHours === null)
    throw invalidArgument('give the mileage or the running hours', 'mileageKm', 'REQUIRED');
  const reason = reasonOf(input.reason);
  const patch: Partial<AssetFile> = {};
  for (const [field, value] of [
    ['mileageKm', mileageKm],
    ['runningHours', runningHours],
  ] as const) {
    if (value === null || value === file[field]) continue;
    const current = file[field];
    if (current !== null && value < current && !reason) {
      throw invalidArgument(
        `${field} ${value} is lower than ${current} on file; a lower reading needs a reason`,
        'reason',
        'READING_BACKWARDS',
      );
    }
    patch[field] = value;
  }
  return Object.keys(patch).length ? change('READING', file, patch, reason) : null;
}

/**
 * R-CU-7: a maintenance done on `doneOn` moves the next maintenance due one cycle on. A maintenance
 * older than the last one on file would move it back, so it is refused.
 */
export function recordMaintenance(
  file: AssetFile,
  input: { doneOn?: string | null; reason?: string | null },
  today: string,
): AssetChange {
  const doneOn = isoDate(input.doneOn ?? today, 'doneOn');
  if (doneOn > today) throw invalidArgument('doneOn lies in the future', 'doneOn', 'IN_FUTURE');
  if (file.lastMaintenance && doneOn < file.lastMaintenance) {
    throw invalidArgument(
      `a maintenance on ${file.lastMaintenance} is on file already; ${doneOn} is before it`,
      'doneOn',
      'MAINTENANCE_BEFORE_LAST',
    );
  }
  return change(
    'MAINTENANCE',
    file,
    {
      lastMaintenance: doneOn,
      nextMaintenanceDue:
        nextMaintenanceDue(file.maintenanceCycleDays, doneOn) ?? file.nextMaintenanceDue,
    },
    reasonOf(input.reason),
  );
}

export interface ContractInput {
  number?: string | null;
  kind?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  reason?: string | null;
}

/** R-CU-7: a new service contract term; the one it replaces stays in the history. */
export function renewContract(file: AssetFile, input: ContractInput): AssetChange {
  const contract: ServiceContract = {
    number: requiredText(input.number, 'number', 64),
    kind: optionalText(input.kind, 'kind', 64),
    startDate: isoDate(input.startDate, 'startDate'),
    endDate: isoDate(input.endDate, 'endDate'),
  };
  if (contract.endDate < contract.startDate)
    throw invalidArgument('the contract ends before it starts', 'endDate', 'END_BEFORE_START');
  if (file.contract && contract.startDate <= file.contract.startDate) {
    throw invalidArgument(
      `a renewal starts after the current contract's start (${file.contract.startDate})`,
      'startDate',
      'RENEWAL_BEFORE_CURRENT',
    );
  }
  return change('CONTRACT', file, { contract }, reasonOf(input.reason));
}

/** R-CU-7: the current contract runs longer; its earlier end stays in the history. */
export function extendContract(
  file: AssetFile,
  input: { endDate?: string | null; reason?: string | null },
): AssetChange {
  if (!file.contract) throw conflict('the asset has no service contract to extend', 'NO_CONTRACT');
  const endDate = isoDate(input.endDate, 'endDate');
  if (endDate <= file.contract.endDate) {
    throw invalidArgument(
      `an extension ends after the current end (${file.contract.endDate})`,
      'endDate',
      'END_NOT_LATER',
    );
  }
  return change(
    'CONTRACT',
    file,
    { contract: { ...file.contract, endDate } },
    reasonOf(input.reason),
  );
}

/**
 * R-CU-7: the asset passes to another customer, with the reason (sale, inheritance …). Warranty,
 * contract and readings go with the asset: they belong to it, not to its owner.
 */
export function transferOwnership(
  file: AssetFile,
  input: { newCustomerId: string; reason?: string | null },
): AssetChange {
  if (input.newCustomerId === file.customerId)
    throw invalidArgument(
      'the asset belongs to this customer already',
      'newCustomerId',
      'SAME_OWNER',
    );
  const reason = requiredText(input.reason, 'reason', 500);
  return change('OWNERSHIP', file, { customerId: input.newCustomerId }, reason);
}

export interface UnitSwapInput {
  module?: string | null;
  oldSerialNumber?: string | null;
  newSerialNumber?: string | null;
  swappedOn?: string | null;
  reason?: string | null;
}

/** Swaps kept on one file: far more than a long-lived vehicle sees. */
export const MAX_UNIT_SWAPS = 200;

/** R-CU-7: a unit or module exchanged; the old and the new serial number both stay on the file. */
export function swapUnit(
  file: AssetFile,
  input: UnitSwapInput,
  today: string,
  workOrderId: string | null = null,
): AssetChange {
  const swap: UnitSwap = {
    module: requiredText(input.module, 'module', 100),
    oldSerialNumber: requiredText(input.oldSerialNumber, 'oldSerialNumber', 64),
    newSerialNumber: requiredText(input.newSerialNumber, 'newSerialNumber', 64),
    swappedOn: isoDate(input.swappedOn ?? today, 'swappedOn'),
    workOrderId,
  };
  if (swap.swappedOn > today)
    throw invalidArgument('swappedOn lies in the future', 'swappedOn', 'IN_FUTURE');
  if (swap.oldSerialNumber === swap.newSerialNumber)
    throw invalidArgument(
      'the new serial number is the old one',
      'newSerialNumber',
      'SAME_SERIAL_NUMBER',
    );
  if (file.unitSwaps.length >= MAX_UNIT_SWAPS)
    throw conflict(`the file holds ${MAX_UNIT_SWAPS} unit swaps already`, 'TOO_MANY_UNIT_SWAPS');
  const next = change(
    'UNIT_SWAP',
    file,
    { unitSwaps: [...file.unitSwaps, swap] },
    reasonOf(input.reason),
  );
  // The history line names the one swap, not the whole list.
  return { ...next, oldValue: {}, newValue: { ...swap } };
}

/**
 * R-CU-7: an installation or commissioning starts the warranty of a file that has none yet; it
 * runs `months` (the setting) unless an end is given. The first maintenance falls a cycle after.
 */
export function startWarranty(
  file: AssetFile,
  input: { startDate?: string | null; endDate?: string | null; reason?: string | null },
  months: number,
): AssetChange {
  if (file.warrantyStart) {
    throw conflict(
      `the warranty started on ${file.warrantyStart} already`,
      'WARRANTY_ALREADY_STARTED',
    );
  }
  const warrantyStart = isoDate(input.startDate, 'startDate');
  const warrantyEnd = input.endDate
    ? isoDate(input.endDate, 'endDate')
    : addDays(addMonths(warrantyStart, months, 'startDate'), -1, 'startDate');
  if (warrantyEnd < warrantyStart)
    throw invalidArgument('the warranty ends before it starts', 'endDate', 'END_BEFORE_START');
  return change(
    'WARRANTY',
    file,
    {
      warrantyStart,
      warrantyEnd,
      nextMaintenanceDue:
        file.nextMaintenanceDue ?? nextMaintenanceDue(file.maintenanceCycleDays, warrantyStart),
    },
    reasonOf(input.reason),
  );
}

/** What a completed work order reports about its asset (`workorder.completed`'s `assetWork`). */
export interface ServiceWork {
  mileageKm: number | null;
  runningHours: number | null;
  maintenanceDone: boolean;
  commissioned: boolean;
  unitSwaps: { module: string; oldSerialNumber: string; newSerialNumber: string }[];
}

/**
 * R-CU-7: the changes a completed service brings to the file, in order: the reading (left out
 * when lower than the file's — a report carries no reason), the swapped units, the maintenance,
 * the warranty started by an installation or commissioning (left out when already running).
 */
export function changesFromService(
  file: AssetFile,
  work: ServiceWork,
  ctx: { completedOn: string; workOrderId: string; number: string; warrantyMonths: number },
): AssetChange[] {
  const reason = `service report of ${ctx.number}`;
  const changes: AssetChange[] = [];
  let current = file;
  const add = (c: AssetChange | null) => {
    if (!c) return;
    changes.push(c);
    current = c.next;
  };
  const forward = (value: number | null, onFile: number | null) =>
    value !== null && (onFile === null || Math.round(value) >= onFile) ? value : null;
  const readings = {
    mileageKm: forward(work.mileageKm, current.mileageKm),
    runningHours: forward(work.runningHours, current.runningHours),
  };
  if (readings.mileageKm !== null || readings.runningHours !== null)
    add(recordReading(current, readings));
  for (const swap of work.unitSwaps)
    add({
      ...swapUnit(
        current,
        { ...swap, swappedOn: ctx.completedOn },
        ctx.completedOn,
        ctx.workOrderId,
      ),
      reason,
    });
  if (
    work.maintenanceDone &&
    !(current.lastMaintenance && current.lastMaintenance > ctx.completedOn)
  )
    add({ ...recordMaintenance(current, { doneOn: ctx.completedOn }, ctx.completedOn), reason });
  if (work.commissioned && !current.warrantyStart)
    add(startWarranty(current, { startDate: ctx.completedOn, reason }, ctx.warrantyMonths));
  return changes.map((c) => ({ ...c, reason: c.reason ?? reason }));
}
