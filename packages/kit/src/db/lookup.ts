import type { EntityName, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { inRequestedOrder } from '../batch';
import { invalidArgument, notFound } from '../errors';
import { checkUuid, isUuid } from '../ids';

export const MAX_BATCH_IDS = 500;

/** One entity by its UUID, or NOT_FOUND naming it (`what`, e.g. "Customer"). */
export async function findByUuid<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  what: string,
  id: string,
): Promise<T> {
  const found = await em.findOne(entity, { id: checkUuid(id) } as unknown as FilterQuery<T>);
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
  const found = wanted.length
    ? await em.find(entity, { id: { $in: wanted } } as unknown as FilterQuery<T>)
    : [];
  return inRequestedOrder(ids, found);
}
