import { addDays, invalidArgument, numberIn } from '@aftercare/kit/domain';
import { localDate, optionalIsoDate, optionalText, requiredText } from './values';

export const ASSET_KINDS = ['VEHICLE', 'EQUIPMENT', 'APPLIANCE', 'OTHER'] as const;

/** Longer than ten years is a typo, not a maintenance cycle; due dates are computed from it. */
export const MAX_MAINTENANCE_CYCLE_DAYS = 3650;
export type AssetKind = (typeof ASSET_KINDS)[number];

export interface ServiceContract {
  number: string;
  kind: string | null;
  startDate: string;
  endDate: string;
}

/** R-CU-2: one asset, one file. Calendar dates are ISO dates in the business time zone. */
export interface AssetDetails {
  kind: AssetKind;
  model: string;
  serialNumber: string | null;
  vin: string | null;
  plateNumber: string | null;
  purchaseDate: string | null;
  sellingDealer: string | null;
  mileageKm: number | null;
  runningHours: number | null;
  warrantyStart: string | null;
  warrantyEnd: string | null;
  contract: ServiceContract | null;
  maintenanceCycleDays: number | null;
  nextMaintenanceDue: string | null;
}

export interface NewAssetInput {
  kind?: string | null;
  model?: string | null;
  serialNumber?: string | null;
  vin?: string | null;
  plateNumber?: string | null;
  purchaseDate?: string | null;
  sellingDealer?: string | null;
  mileageKm?: number | null;
  runningHours?: number | null;
  warrantyStart?: string | null;
  warrantyEnd?: string | null;
  contract?: {
    number?: string | null;
    kind?: string | null;
    startDate?: string | null;
    endDate?: string | null;
  } | null;
  maintenanceCycleDays?: number | null;
  lastMaintenance?: string | null;
}

/** VINs are 17 characters without I, O and Q (ISO 3779). */
export function normaliseVin(raw: string, field = 'vin'): string {
  const vin = raw.replace(/\s/g, '').toUpperCase();
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) {
    throw invalidArgument(
      `"${raw}" is not a valid VIN (17 letters/digits, no I, O or Q)`,
      field,
      'INVALID_VIN',
    );
  }
  return vin;
}

/** Plates compare without spaces or the separator dot: "京A·12345" = "京A12345". */
export function normalisePlate(raw: string, field = 'plateNumber'): string {
  const plate = raw.replace(/[\s·.-]/g, '').toUpperCase();
  if (!/^[\p{L}\p{N}]{5,10}$/u.test(plate))
    throw invalidArgument(`"${raw}" is not a plate number`, field, 'INVALID_PLATE');
  return plate;
}

function nonNegativeInt(raw: number | null | undefined, field: string): number | null {
  if (raw === undefined || raw === null) return null;
  if (!Number.isSafeInteger(raw) || raw < 0)
    throw invalidArgument(`${field} must be a whole number ≥ 0`, field, 'INVALID_NUMBER');
  return raw;
}

function ordered(start: string | null, end: string | null, field: string) {
  if (start && end && end < start)
    throw invalidArgument(`${field} ends before it starts`, field, 'END_BEFORE_START');
}

export function newAsset(input: NewAssetInput): AssetDetails {
  const kind = (input.kind ?? '') as AssetKind;
  if (!ASSET_KINDS.includes(kind)) {
    throw invalidArgument(
      `kind must be one of ${ASSET_KINDS.join(', ')}`,
      'kind',
      input.kind ? 'INVALID_VALUE' : 'REQUIRED',
    );
  }
  const serialNumber = optionalText(input.serialNumber, 'serialNumber', 64);
  const vin = input.vin ? normaliseVin(input.vin) : null;
  const plateNumber = input.plateNumber ? normalisePlate(input.plateNumber) : null;
  if (!serialNumber && !vin) {
    throw invalidArgument(
      'an asset needs a serial number or a VIN to be found again',
      'serialNumber',
      'REQUIRED',
    );
  }
  const warrantyStart = optionalIsoDate(input.warrantyStart, 'warrantyStart');
  const warrantyEnd = optionalIsoDate(input.warrantyEnd, 'warrantyEnd');
  if (Boolean(warrantyStart) !== Boolean(warrantyEnd)) {
    throw invalidArgument(
      'warrantyStart and warrantyEnd go together',
      warrantyStart ? 'warrantyEnd' : 'warrantyStart',
      'REQUIRED',
    );
  }
  ordered(warrantyStart, warrantyEnd, 'warranty');
  let contract: ServiceContract | null = null;
  if (input.contract) {
    contract = {
      number: requiredText(input.contract.number, 'contract.number', 64),
      kind: optionalText(input.contract.kind, 'contract.kind', 64),
      startDate:
        optionalIsoDate(input.contract.startDate, 'contract.startDate') ??
        requiredText('', 'contract.startDate'),
      endDate:
        optionalIsoDate(input.contract.endDate, 'contract.endDate') ??
        requiredText('', 'contract.endDate'),
    };
    ordered(contract.startDate, contract.endDate, 'contract');
  }
  const maintenanceCycleDays =
    input.maintenanceCycleDays === undefined || input.maintenanceCycleDays === null
      ? null
      : numberIn(input.maintenanceCycleDays, 'maintenanceCycleDays', {
          min: 1,
          max: MAX_MAINTENANCE_CYCLE_DAYS,
          integer: true,
        });
  const purchaseDate = optionalIsoDate(input.purchaseDate, 'purchaseDate');
  const lastMaintenance = optionalIsoDate(input.lastMaintenance, 'lastMaintenance');
  return {
    kind,
    model: requiredText(input.model, 'model', 100),
    serialNumber,
    vin,
    plateNumber,
    purchaseDate,
    sellingDealer: optionalText(input.sellingDealer, 'sellingDealer', 200),
    mileageKm: nonNegativeInt(input.mileageKm, 'mileageKm'),
    runningHours: nonNegativeInt(input.runningHours, 'runningHours'),
    warrantyStart,
    warrantyEnd,
    contract,
    maintenanceCycleDays,
    nextMaintenanceDue: nextMaintenanceDue(
      maintenanceCycleDays,
      lastMaintenance ?? purchaseDate ?? warrantyStart,
    ),
  };
}

/** The next maintenance falls one cycle after the last one (or after purchase when none was done). */
export function nextMaintenanceDue(cycleDays: number | null, from: string | null): string | null {
  return cycleDays && from ? addDays(from, cycleDays, 'maintenanceCycleDays') : null;
}

export type EntitlementKind = 'WARRANTY' | 'CONTRACT' | 'PAID';

export interface Entitlement {
  kind: EntitlementKind;
  reason: string;
  warrantyEnd: string | null;
  contractEnd: string | null;
  contractNumber: string | null;
}

/**
 * R-WO-1 service type: warranty first (free), then a service contract, otherwise paid.
 * Compared on the local date in the business time zone, so a warranty "until 2027-03-31"
 * covers all of that day in Shanghai even though it is already April 1 somewhere else.
 */
/** What of an asset its entitlement depends on. */
export type EntitlementTerms = Pick<AssetDetails, 'warrantyStart' | 'warrantyEnd' | 'contract'>;

export function entitlementAt(asset: EntitlementTerms, at: Date, timeZone: string): Entitlement {
  const day = localDate(at, timeZone);
  const base = {
    warrantyEnd: asset.warrantyEnd,
    contractEnd: asset.contract?.endDate ?? null,
    contractNumber: asset.contract?.number ?? null,
  };
  if (
    asset.warrantyStart &&
    asset.warrantyEnd &&
    asset.warrantyStart <= day &&
    day <= asset.warrantyEnd
  ) {
    return {
      ...base,
      kind: 'WARRANTY',
      reason: `inside the warranty period ${asset.warrantyStart} – ${asset.warrantyEnd}`,
    };
  }
  const c = asset.contract;
  if (c && c.startDate <= day && day <= c.endDate) {
    return {
      ...base,
      kind: 'CONTRACT',
      reason: `covered by service contract ${c.number} (${c.startDate} – ${c.endDate})`,
    };
  }
  const why = [
    asset.warrantyEnd
      ? day < (asset.warrantyStart ?? '')
        ? `warranty starts ${asset.warrantyStart}`
        : `warranty ended ${asset.warrantyEnd}`
      : 'no warranty on file',
    c
      ? day < c.startDate
        ? `contract ${c.number} starts ${c.startDate}`
        : `contract ${c.number} ended ${c.endDate}`
      : 'no service contract',
  ];
  return { ...base, kind: 'PAID', reason: `paid service: ${why.join('; ')}` };
}
