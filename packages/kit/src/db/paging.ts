import type { EntityName, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { invalidArgument } from '../errors';
import { type Page, pageFromRows, pageSize } from '../graphql/pagination';
import { isUuid } from '../ids';

export interface PageRequest {
  first?: number | null;
  after?: string | null;
}

/**
 * Newest first, keyset-paged on uuidv7 ids (time-ordered), so deep pages cost the same as the
 * first and concurrent inserts never shift a page. The cursor is the last id of the page.
 */
export async function keysetPage<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  filter: FilterQuery<T>,
  request: PageRequest,
  limits: { default: number; max: number } = { default: 20, max: 100 },
): Promise<Page<T>> {
  const first = pageSize(request.first, { defaultSize: limits.default, max: limits.max });
  if (request.after && !isUuid(request.after))
    throw invalidArgument('after is not a valid cursor', 'after', 'INVALID_CURSOR');
  const pageFilter = request.after
    ? ({ $and: [filter, { id: { $lt: request.after } }] } as FilterQuery<T>)
    : filter;
  const [rows, total] = await Promise.all([
    em.find(entity, pageFilter, { orderBy: { id: 'desc' } as never, limit: first + 1 }),
    em.count(entity, filter),
  ]);
  return pageFromRows(rows, first, total, (item) => item.id);
}
