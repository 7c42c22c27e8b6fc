import { conflict, invalidArgument } from '@aftercare/kit/domain';
import { optionalStationCode } from '@aftercare/kernel';
import { AREA_TYPES, AreaType } from './sla';
import { CHANNELS, Channel } from './status';
import {
  Region,
  RegionInput,
  instant,
  normalisePhone,
  notInFuture,
  numberIn,
  oneOf,
  optionalText,
  parseRegion,
  requiredText,
} from './values';

/** Fault categories; the list is a setting, this is its default. */
export const DEFAULT_FAULT_CATEGORIES = [
  'ELECTRICAL',
  'MECHANICAL',
  'BODY',
  'BATTERY',
  'SOFTWARE',
  'OTHER',
] as const;

/** Internal jobs (R-WO-1): no customer, no entitlement, no customer SLA. */
export const INTERNAL_KINDS = ['INSPECTION', 'TRAINING', 'TOOL_UPKEEP'] as const;
export type InternalKind = (typeof INTERNAL_KINDS)[number];

export const SERVICE_TYPES = ['WARRANTY', 'CONTRACT', 'PAID', 'INTERNAL'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];
/** What the customer service answers for an asset (GetServiceEntitlement). */
export type Entitlement = 'WARRANTY' | 'CONTRACT' | 'PAID';

export const MAX_DISTANCE_KM = 5000;
export const MAX_FAULT_DESCRIPTION = 2000;

export interface IntakeInput {
  customerId?: string | null;
  assetId?: string | null;
  contact?: { name?: string | null; phone?: string | null } | null;
  address?: { region?: RegionInput | null; line?: string | null } | null;
  areaType?: string | null;
  distanceKm?: number | null;
  faultDescription?: string | null;
  category?: string | null;
  channel?: string | null;
  /** Defaults to now; a letter or a back-filled call may be earlier, never in the future. */
  calledAt?: Date | string | null;
  /** Set for internal jobs only. */
  internalKind?: string | null;
  /** The service station handling it; defaults from the registering staff member or the settings. */
  stationCode?: string | null;
  /** R-WO-12: the supplier must be involved (the 12 h answer applies); false when left out. */
  supplierInvolved?: boolean | null;
  /** R-WO-10: the asset's product line, so dispatch can ask for a skill on it. */
  productLine?: string | null;
}

export interface Intake {
  customerId: string | null;
  assetId: string | null;
  contact: { name: string; phone: string } | null;
  address: { region: Region; line: string | null } | null;
  areaType: AreaType | null;
  distanceKm: number | null;
  faultDescription: string;
  category: string;
  channel: Channel;
  calledAt: Date;
  internalKind: InternalKind | null;
  /** As given (validated, upper-cased); null when the station is left to the defaults. */
  stationCode: string | null;
  supplierInvolved: boolean;
  productLine: string | null;
}

export interface IntakeOptions {
  now: Date;
  categories?: readonly string[];
}

/**
 * R-WO-1: validates and normalises a repair request. A customer job needs customer, asset, contact,
 * address, area type and distance (the SLA and the dispatcher need them); an internal job needs
 * none of these but may carry them. Whether customer and asset exist is the use case's call to the
 * customer service.
 */
export function parseIntake(input: IntakeInput, options: IntakeOptions): Intake {
  const internalKind = input.internalKind
    ? oneOf(INTERNAL_KINDS, input.internalKind, 'internalKind')
    : null;
  // For a customer job a missing part is an error; for an internal one it is simply absent.
  const needed = <T>(raw: unknown, parse: () => T): T | null =>
    internalKind && (raw === undefined || raw === null || raw === '') ? null : parse();
  const categories = options.categories ?? DEFAULT_FAULT_CATEGORIES;
  return {
    customerId: needed(input.customerId, () => requiredText(input.customerId, 'customerId', 64)),
    assetId: needed(input.assetId, () => requiredText(input.assetId, 'assetId', 64)),
    contact: needed(input.contact, () => ({
      name: requiredText(input.contact?.name, 'contact.name', 100),
      phone: normalisePhone(input.contact?.phone, 'contact.phone'),
    })),
    address: needed(input.address, () => ({
      region: parseRegion(input.address?.region, 'address.region'),
      line: optionalText(input.address?.line, 'address.line', 300),
    })),
    areaType: needed(input.areaType, () => oneOf(AREA_TYPES, input.areaType, 'areaType')),
    distanceKm: needed(input.distanceKm, () =>
      numberIn(input.distanceKm, 'distanceKm', { min: 0, max: MAX_DISTANCE_KM }),
    ),
    faultDescription: requiredText(
      input.faultDescription,
      'faultDescription',
      MAX_FAULT_DESCRIPTION,
    ),
    category: oneOf(categories, input.category, 'category'),
    channel: oneOf(CHANNELS, input.channel, 'channel'),
    calledAt: notInFuture(
      input.calledAt ? instant(input.calledAt, 'calledAt') : options.now,
      options.now,
      'calledAt',
    ),
    internalKind,
    stationCode: optionalStationCode(input.stationCode, 'stationCode'),
    supplierInvolved: input.supplierInvolved ?? false,
    productLine: optionalText(input.productLine, 'productLine', 50)?.toUpperCase() ?? null,
  };
}

/** R-WO-1: the service type an order is fixed with at intake. */
export function serviceTypeFor(
  entitlement: Entitlement | null,
  internal: boolean | InternalKind | null,
): ServiceType {
  if (internal) return 'INTERNAL';
  if (entitlement === null) {
    throw conflict(
      "the asset's entitlement is unknown, so the service type cannot be fixed",
      'ENTITLEMENT_UNKNOWN',
    );
  }
  return entitlement;
}

/** Fault category settings: codes UPPER_SNAKE_CASE, at least one, no duplicates. */
export function parseFaultCategories(raw: readonly string[], field = 'categories'): string[] {
  if (raw.length === 0) throw invalidArgument('at least one category is needed', field, 'REQUIRED');
  raw.forEach((code, i) => {
    if (!/^[A-Z][A-Z0-9_]{0,31}$/.test(code)) {
      throw invalidArgument(
        `"${code}" is not a category code (A-Z, 0-9, _; at most 32)`,
        `${field}.${i}`,
        'INVALID_VALUE',
      );
    }
    if (raw.indexOf(code) !== i)
      throw invalidArgument(`"${code}" is listed twice`, `${field}.${i}`, 'DUPLICATE');
  });
  return [...raw];
}
