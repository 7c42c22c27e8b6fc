import {
  type EntityManager,
  type Identity,
  AppError,
  createOnce,
  idempotencyKey,
  requireRole,
  type Role,
} from '@aftercare/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { PartRecord, WarehouseRecord } from '../db/entities';
import { type PartInput, parsePart, parseWarehouse, type WarehouseInput } from '../domain';
import type { InventoryDeps } from './deps';

export const CAN_MANAGE_CATALOGUE: Role[] = ['warehouse', 'manager'];

/** R-IN-1: a part of the catalogue, created or updated by code. */
export async function upsertPart(
  deps: InventoryDeps,
  caller: Identity | null,
  input: PartInput,
): Promise<PartRecord> {
  requireRole(caller, ...CAN_MANAGE_CATALOGUE);
  const part = parsePart(input);
  return deps.orm.em.fork().transactional(async (em) => {
    const now = deps.now();
    const record =
      (await em.findOne(PartRecord, { code: part.code })) ??
      Object.assign(new PartRecord(), { createdAt: now });
    Object.assign(record, part, { updatedAt: now });
    em.persist(record);
    return record;
  });
}

/**
 * R-IN-1: the central warehouse and each service station's stock are separate ledgers. A repeat
 * with the same idempotency key returns the warehouse instead of WAREHOUSE_EXISTS.
 */
export async function createWarehouse(
  deps: InventoryDeps,
  caller: Identity | null,
  input: WarehouseInput & { idempotencyKey?: string | null },
): Promise<WarehouseRecord> {
  const me = requireRole(caller, 'manager');
  const w = parseWarehouse(input);
  const once = {
    operation: 'inventory.createWarehouse',
    caller: me,
    key: idempotencyKey(input.idempotencyKey),
    request: input,
    idOf: (r: WarehouseRecord) => r.code,
    load: (em: EntityManager, code: string) => em.findOneOrFail(WarehouseRecord, { code }),
  };
  try {
    return await createOnce(deps.orm, once, async (em) => {
      const record = Object.assign(new WarehouseRecord(), {
        code: w.code,
        name: w.name,
        kind: w.kind,
        province: w.region.province,
        city: w.region.city,
        district: w.region.district,
        createdAt: deps.now(),
      });
      em.persist(record);
      await em.flush();
      return record;
    });
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException) {
      throw new AppError(
        'ALREADY_EXISTS',
        `warehouse ${w.code} exists, or a central warehouse exists already`,
        {
          reason: w.kind === 'CENTRAL' ? 'CENTRAL_WAREHOUSE_EXISTS' : 'WAREHOUSE_EXISTS',
          field: 'code',
        },
      );
    }
    throw e;
  }
}
