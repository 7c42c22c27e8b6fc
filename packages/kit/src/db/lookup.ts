import {
  type EntityDictionary,
  type EntityName,
  type FilterQuery,
  helper,
  type Primary,
  Utils,
} from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { inRequestedOrder } from '../batch';
import { invalidArgument, notFound } from '../errors';
import { checkUuid, isUuid } from '../ids';
import { plainRead } from './plain-read';
import { executePrepared } from './prepared';

export const MAX_BATCH_IDS = 500;

/**
 * One entity by its UUID, or NOT_FOUND naming it (`what`, e.g. "Customer"). Managed as
 * `em.findOne` would return it; read by a statement made once per entity type (see `byIds`).
 */
export async function findByUuid<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  what: string,
  id: string,
): Promise<T> {
  const [found] = await byIds(em, entity, [checkUuid(id)]);
  if (!found) throw notFound(what, id);
  return found;
}

/** Entities by UUID in one query, in the order asked; unknown and malformed ids are left out. */
export async function findByUuids<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  ids: readonly string[],
): Promise<T[]> {
  const wanted = [...new Set(ids)].filter(isUuid);
  if (wanted.length > MAX_BATCH_IDS)
    throw invalidArgument(`at most ${MAX_BATCH_IDS} ids at once`, 'ids', 'TOO_MANY');
  return inRequestedOrder(ids, wanted.length ? await byIds(em, entity, wanted) : []);
}

/**
 * Entities by their UUID primary keys, in no particular order. Those `em` already holds are
 * returned as they are, as `em.findOne` does; the others are read by one plain SELECT and taken
 * into `em` by `em.map`, managed and change-tracked like any loaded entity. The SELECT is made
 * once per entity type: MikroORM builds, compiles and processes a query anew on every `find`,
 * which costs about three times the statement itself (ADR 0034, "Later: reads by id");
 * PostgreSQL prepares it once per connection (ADR 0037). Lazy and formula properties are left
 * unloaded, as by `find`; an entity type this plain SELECT cannot read (relations, embeddables,
 * SQL-converted types, a composite key) goes through `em.find`.
 */
async function byIds<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  ids: readonly string[],
): Promise<T[]> {
  const meta = em.getMetadata().get<T>(Utils.className(entity));
  const read = plainRead(meta);
  if (!read) {
    const where = { [meta.primaryKeys[0]!]: { $in: ids } } as unknown as FilterQuery<T>;
    return em.find(entity, where);
  }
  const uow = em.getUnitOfWork();
  const held: T[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const known = uow.getById<T>(meta.className, id as Primary<T>);
    if (known && helper(known).__initialized) held.push(known);
    else missing.push(id);
  }
  if (!missing.length) return held;
  // One text whatever the number of ids, so it is prepared once per connection. The ids go as an
  // array literal (they are UUIDs): knex would spread a bound array into the text.
  const rows = await executePrepared(em, read.byKeys, [`{${missing.join(',')}}`]);
  return [...held, ...rows.map((row) => em.map(entity, row as EntityDictionary<T>))];
}
