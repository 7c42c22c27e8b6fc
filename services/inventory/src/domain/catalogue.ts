import { conflict } from '@aftercare/kit/domain';
import {
  Region,
  RegionInput,
  parseCode,
  parseCount,
  parseFen,
  oneOf,
  optionalText,
  parseRegion,
  requiredText,
} from './values';

/** R-IN-1 units a part is stocked and issued in; quantities are whole numbers of the unit. */
export const PART_UNITS = ['PCS', 'SET', 'M', 'L', 'KG'] as const;
export type PartUnit = (typeof PART_UNITS)[number];

/** R-IN-1 parts catalogue entry. */
export interface Part {
  code: string;
  name: string;
  spec: string | null;
  unit: PartUnit;
  priceFen: number;
  /** Key parts (motor, controller, axle, frame …): reports and alerts single them out. */
  critical: boolean;
  /** Low-stock alert fires when on-hand falls to or below this (R-IN-5); 0 alerts on stock-out. */
  reorderPoint: number;
}

export interface PartInput {
  code?: string | null;
  name?: string | null;
  spec?: string | null;
  unit?: string | null;
  priceFen?: number | null;
  critical?: boolean | null;
  reorderPoint?: number | null;
}

export function parsePart(input: PartInput): Part {
  return {
    code: parseCode(input.code, 'code'),
    name: requiredText(input.name, 'name', 200),
    spec: optionalText(input.spec, 'spec', 500),
    unit: oneOf(PART_UNITS, input.unit, 'unit'),
    priceFen: parseFen(input.priceFen, 'priceFen'),
    critical: Boolean(input.critical),
    reorderPoint: parseCount(input.reorderPoint ?? 0, 'reorderPoint'),
  };
}

/** R-IN-1 the central warehouse and each service station's stock, each its own ledger. */
export const WAREHOUSE_KINDS = ['CENTRAL', 'STATION'] as const;
export type WarehouseKind = (typeof WAREHOUSE_KINDS)[number];

export interface Warehouse {
  code: string;
  name: string;
  kind: WarehouseKind;
  region: Region;
}

export interface WarehouseInput {
  code?: string | null;
  name?: string | null;
  kind?: string | null;
  region?: RegionInput | null;
}

export function parseWarehouse(input: WarehouseInput): Warehouse {
  return {
    code: parseCode(input.code, 'code'),
    name: requiredText(input.name, 'name', 100),
    kind: oneOf(WAREHOUSE_KINDS, input.kind, 'kind'),
    region: parseRegion(input.region, 'region'),
  };
}

/** There is one central warehouse; a second is refused (`CENTRAL_WAREHOUSE_EXISTS`). */
export function assertCanAddWarehouse(existing: readonly Warehouse[], added: Warehouse): void {
  if (existing.some((w) => w.code === added.code)) {
    throw conflict(`warehouse ${added.code} already exists`, 'WAREHOUSE_EXISTS');
  }
  const central = existing.find((w) => w.kind === 'CENTRAL');
  if (added.kind === 'CENTRAL' && central) {
    throw conflict(`${central.code} is already the central warehouse`, 'CENTRAL_WAREHOUSE_EXISTS');
  }
}
