import type { EntityName, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { invalidArgument } from '../errors';
import {
  decodeCursor,
  encodeCursor,
  type Page,
  pageFromRows,
  pageSize,
} from '../graphql/pagination';
import { isUuid } from '../ids';
import { plainRead, quoteName, tableOf } from './plain-read';
import { executePrepared } from './prepared';

export interface PageRequest {
  first?: number | null;
  after?: string | null;
}

/** An id-keyed page's cursor is the last id it showed: anything else is not one of ours. */
function checkIdCursor(after: string | null | undefined): void {
  if (after && !isUuid(after))
    throw invalidArgument('after is not a valid cursor', 'after', 'INVALID_CURSOR');
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
  checkIdCursor(request.after);
  const pageFilter = request.after
    ? ({ $and: [filter, { id: { $lt: request.after } }] } as FilterQuery<T>)
    : filter;
  const [rows, total] = await Promise.all([
    em.find(entity, pageFilter, { orderBy: { id: 'desc' } as never, limit: first + 1 }),
    em.count(entity, filter),
  ]);
  return pageFromRows(rows, first, total, (item) => item.id);
}

/** One parent's page in a batch: whose children, and which page of them. */
export interface ParentPageRequest extends PageRequest {
  parentId: string;
}

/**
 * Keyset pages of many parents' children (a customer's assets, …) in one query whatever the
 * number of parents, for a DataLoader batch: per parent a lateral join takes the `first + 1`
 * newest rows after the cursor (same order and cursor as `keysetPage`) and counts them all, so a
 * list of 100 parents costs one indexed query, never N, and never fetches a parent's whole list.
 * Parent ids that are not uuids get an empty page. Children are filtered by the parent key only.
 */
export async function keysetPagesByParent<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  parentKey: keyof T & string,
  requests: readonly ParentPageRequest[],
  limits: { default: number; max: number } = { default: 20, max: 100 },
): Promise<Page<T>[]> {
  const meta = em.getMetadata(entity);
  const table = tableOf(meta);
  // Named columns make the text one PostgreSQL can keep prepared (ADR 0037); a type the kit
  // cannot read plainly is read whole, as a new statement each time.
  const plain = plainRead(meta);
  const read = plain
    ? <R>(sql: string, bindings: unknown[]) => executePrepared<R>(em, sql, bindings)
    : <R>(sql: string, bindings: unknown[]) => em.execute<R[]>(sql, bindings);
  const columnOf = (property: string) =>
    (meta.properties as Record<string, { fieldNames: string[] }>)[property]!.fieldNames[0]!;
  const parentColumn = quoteName(columnOf(parentKey));
  const idField = columnOf('id');
  const idColumn = quoteName(idField);
  const pageOf = new Map<ParentPageRequest, Page<T>>();
  // One query per distinct page shape: in practice a batch asks every parent for the same page.
  const shapes = new Map<
    string,
    { first: number; after: string | null; group: ParentPageRequest[] }
  >();
  for (const request of requests) {
    const first = pageSize(request.first, { defaultSize: limits.default, max: limits.max });
    checkIdCursor(request.after);
    const after = request.after || null;
    const key = `${first}:${after ?? ''}`;
    const shape = shapes.get(key) ?? { first, after, group: [] };
    shape.group.push(request);
    shapes.set(key, shape);
  }
  for (const { first, after, group } of shapes.values()) {
    const parents = [...new Set(group.map((r) => r.parentId).filter(isUuid))];
    const rows = parents.length
      ? await read<Record<string, unknown>>(
          `select p.parent_id as "__parent", c.total as "__total", t.*
             from unnest(?::uuid[]) as p(parent_id)
             cross join lateral (select count(*)::int as total from ${table} where ${parentColumn} = p.parent_id) c
             left join lateral (
               select ${plain?.columns ?? '*'} from ${table}
                where ${parentColumn} = p.parent_id and (?::uuid is null or ${idColumn} < ?::uuid)
                order by ${idColumn} desc limit ?
             ) t on true`,
          [`{${parents.join(',')}}`, after, after, first + 1],
        )
      : [];
    const byParent = new Map<string, { total: number; items: T[] }>();
    for (const { __parent, __total, ...row } of rows) {
      const entry = byParent.get(String(__parent)) ?? { total: Number(__total), items: [] };
      if (row[idField] !== null) entry.items.push(em.map(entity, row as never));
      byParent.set(String(__parent), entry);
    }
    for (const request of group) {
      const found = byParent.get(request.parentId) ?? { total: 0, items: [] };
      pageOf.set(
        request,
        pageFromRows(found.items, first, found.total, (item) => item.id),
      );
    }
  }
  return requests.map((request) => pageOf.get(request)!);
}

/** DataLoader cache key of a `ParentPageRequest`: the same parent asked for the same page. */
export const pageRequestKey = (r: ParentPageRequest): string =>
  JSON.stringify([r.parentId, r.first ?? null, r.after ?? null]);

/**
 * Keyset-paged in ascending order of a unique text column (a catalogue's code), for lists read
 * in that order rather than newest first. The cursor is the opaque column value of the last item.
 */
export async function keysetPageByKey<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  key: keyof T & string,
  filter: FilterQuery<T>,
  request: PageRequest,
  limits: { default: number; max: number } = { default: 20, max: 100 },
): Promise<Page<T>> {
  const first = pageSize(request.first, { defaultSize: limits.default, max: limits.max });
  const after = request.after ? decodeCursor(request.after, textPosition) : null;
  const pageFilter = after
    ? ({ $and: [filter, { [key]: { $gt: after } }] } as FilterQuery<T>)
    : filter;
  const [rows, total] = await Promise.all([
    em.find(entity, pageFilter, { orderBy: { [key]: 'asc' } as never, limit: first + 1 }),
    em.count(entity, filter),
  ]);
  return pageFromRows(rows, first, total, (item) => encodeCursor(item[key]));
}

function textPosition(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError('not a text position');
  return value;
}
