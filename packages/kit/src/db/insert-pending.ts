import {
  type EntityMetadata,
  type EntityProperty,
  helper,
  JsonType,
  type Platform,
  ReferenceKind,
  Utils,
} from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/postgresql';
import { AppError } from '../errors';
import type { PendingNumber } from './number-series';
import type { EntityManager, Orm } from './orm';
import { executePrepared } from './prepared';

/**
 * Writes every entity persisted in `em` and not yet flushed — of any entity types, the outbox
 * rows of `publish` included — in one statement, one data-modifying CTE per row, where a flush
 * sends one INSERT per entity type: each round trip costs more than its rows (ADR 0034).
 * Afterwards the unit of work forgets them, so the commit's flush neither writes nor compares them.
 * The rows are checked together at the end of the statement: a row may refer to one written in the
 * same call. Values are written as the entity holds them: `onCreate` hooks and required-property
 * checks of a flush do not run (the table's constraints still do). For new rows only: pending
 * removals and relations (entities here hold ids, not references) are refused.
 *
 * With a `number` (`pendingNumber`), the same statement draws it, and wherever the rows hold its
 * token — a whole column value, or a string inside a JSON column such as an event's data — they
 * get the number instead; the entities hold it afterwards too, and it is returned. A token inside
 * a longer string is refused: only whole values are replaced.
 */
export async function insertPending(em: EntityManager): Promise<void>;
export async function insertPending(em: EntityManager, number: PendingNumber): Promise<string>;
export async function insertPending(
  em: EntityManager,
  number?: PendingNumber,
): Promise<string | void> {
  const uow = em.getUnitOfWork();
  if (uow.getRemoveStack().size) throw unsupported('removals are pending');
  const entities = [...uow.getPersistStack()].filter((entity) => !helper(entity).__managed);
  if (!entities.length) {
    if (number) throw unsupported('a number with no rows to carry it');
    return;
  }
  const bindings: unknown[] = [...(number?.bindings ?? [])];
  const knex = em.getKnex();
  const platform = em.getPlatform();
  const inserts = entities.map((entity) => {
    const meta = helper(entity).__meta;
    const values = entity as Record<string, unknown>;
    const row: Record<string, unknown> = {};
    for (const prop of meta.props) {
      const value = values[prop.name];
      if (prop.persist === false || value === undefined) continue;
      assertPlainColumn(meta, prop);
      row[prop.fieldNames[0]!] = number
        ? withNumber(knex, platform, prop, value, number.token)
        : databaseValue(platform, prop, value);
    }
    const table = meta.schema ? knex(meta.tableName).withSchema(meta.schema) : knex(meta.tableName);
    const query = table.insert(row).toSQL();
    bindings.push(...query.bindings);
    return query.sql;
  });
  if (number) {
    const ctes = inserts.map((insert, i) => `pending_${i} as (${insert})`);
    const [drawn] = (await executePrepared(
      em,
      `with ${NUMBER} as (${number.sql}), ${ctes.join(', ')} select number from ${NUMBER}`,
      bindings,
    )) as [{ number: string }];
    for (const entity of entities) {
      putNumber(entity as Record<string, unknown>, number.token, drawn.number);
      uow.unsetIdentity(entity);
    }
    return drawn.number;
  }
  const last = inserts.pop()!;
  const sql = inserts.length
    ? `with ${inserts.map((insert, i) => `pending_${i} as (${insert})`).join(', ')} ${last}`
    : last;
  await executePrepared(em, sql, bindings);
  for (const entity of entities) uow.unsetIdentity(entity);
}

/**
 * A create that is one `insertPending` statement, run as a transaction of its own: PostgreSQL
 * commits a statement sent outside a transaction by itself, so BEGIN and COMMIT — two of the four
 * round trips of an intake — are not sent (ADR 0036). `persist` only persists (entities, outbox
 * rows); it is synchronous, so it cannot send a statement of its own that would commit apart.
 * The relay is kicked afterwards, as a commit would. With a `number`, the statement draws it and
 * the entities hold it when this returns.
 */
export async function insertAlone<T>(
  orm: Orm,
  outbox: { kick(): void },
  persist: (em: EntityManager) => T,
  number?: PendingNumber,
): Promise<T> {
  const em = orm.em.fork();
  writtenAlone.add(em);
  try {
    const created = persist(em);
    if (created instanceof Promise) throw unsupported('persist must not wait for anything');
    if (number) await insertPending(em, number);
    else await insertPending(em);
    outbox.kick();
    return created;
  } finally {
    writtenAlone.delete(em);
  }
}

/** The forks of running `insertAlone` calls: what they persist is written atomically too. */
const writtenAlone = new WeakSet<EntityManager>();

/**
 * Whether `em` writes what it persists atomically: inside a transaction, or as the single
 * statement of `insertAlone` (the outbox takes events only there).
 */
export const writesAtomically = (em: EntityManager): boolean =>
  em.getTransactionContext() !== undefined || writtenAlone.has(em);

/** The CTE that draws the number; the rows read it from there (CTEs see only each other's RETURNING). */
const NUMBER = 'pending_number';

/**
 * A property's value as `em.insert` writes it (MikroORM's `mapDataToFieldNames` with custom
 * types converted), without its query builder: that renames every key of the row once per
 * property, a cost that grows with the square of the columns (ADR 0034, "Later": 5 % of the
 * work-order service's CPU at intake).
 */
function databaseValue(platform: Platform, prop: EntityProperty, value: unknown): unknown {
  if (prop.customType)
    return prop.customType.convertToDatabaseValue(value, platform, {
      fromQuery: true,
      key: prop.name,
      mode: 'query-data',
    });
  return Array.isArray(value) || Utils.isPlainObject(value) ? JSON.stringify(value) : value;
}

/** Refuses what the plain conversion cannot write: relations, embeddables, SQL-converted types. */
function assertPlainColumn(meta: EntityMetadata, prop: EntityProperty): void {
  if (prop.kind !== ReferenceKind.SCALAR)
    throw unsupported(`${meta.className}.${prop.name} is a relation or an embeddable`);
  if (prop.fieldNames.length !== 1 || prop.hasConvertToDatabaseValueSQL)
    throw unsupported(`${meta.className}.${prop.name} is not one plainly converted column`);
}

/** A property's value with the number's token replaced by SQL reading the drawn number. */
function withNumber(
  knex: Knex,
  platform: Platform,
  prop: EntityProperty,
  value: unknown,
  token: string,
) {
  if (value === token) return knex.raw(`(select number from ${NUMBER})`);
  if (!(prop.customType instanceof JsonType)) {
    // A string that merely contains the token, or an array column holding it: no place for it.
    const strings = Array.isArray(value) ? value : [value];
    if (strings.some((item) => typeof item === 'string' && item.includes(token)))
      throw partOfValue();
    return databaseValue(platform, prop, value);
  }
  const paths = tokenPaths(value, token);
  if (!paths.length) return databaseValue(platform, prop, value);
  // The JSON as `em.insert` would write it, then the number set at each place the token held.
  return knex.raw(
    paths.reduce(
      (sql) => `jsonb_set(${sql}, ?::text[], to_jsonb((select number from ${NUMBER})))`,
      '?::jsonb',
    ),
    [databaseValue(platform, prop, value) as Knex.Value, ...paths.map(textArray)],
  );
}

/** A path as a PostgreSQL array literal: a bound JS array would be spread into the raw SQL. */
const textArray = (path: string[]) =>
  `{${path.map((key) => `"${key.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;

/** Where in a JSON value the token stands as a whole string (keys and array indices). */
function tokenPaths(value: unknown, token: string, at: string[] = []): string[][] {
  if (value === token) return [at];
  if (typeof value === 'string' && value.includes(token)) throw partOfValue();
  if (!isJsonContainer(value)) return [];
  return Object.entries(value).flatMap(([key, item]) => tokenPaths(item, token, [...at, key]));
}

/** Sets the number where the token stands, in an entity and the JSON values it holds. */
function putNumber(target: Record<string, unknown>, token: string, number: string): void {
  for (const [key, value] of Object.entries(target)) {
    if (value === token) target[key] = number;
    else if (isJsonContainer(value)) putNumber(value, token, number);
  }
}

const isJsonContainer = (value: unknown): value is Record<string, unknown> =>
  Array.isArray(value) ||
  (value !== null &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype);

const partOfValue = () => unsupported('the number is part of a longer value');

const unsupported = (why: string) =>
  new AppError('INTERNAL', `insertPending writes new rows only: ${why}`, {
    reason: 'INSERT_PENDING_UNSUPPORTED',
  });
