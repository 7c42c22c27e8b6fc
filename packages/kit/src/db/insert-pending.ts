import { helper } from '@mikro-orm/core';
import { QueryFlag } from '@mikro-orm/postgresql';
import { AppError } from '../errors';
import type { EntityManager } from './orm';

/**
 * Writes every entity persisted in `em` and not yet flushed — of any entity types, the outbox
 * rows of `publish` included — in one statement, one data-modifying CTE per row, where a flush
 * sends one INSERT per entity type: each round trip costs more than its rows (ADR 0034).
 * Afterwards the unit of work forgets them, so the commit's flush neither writes nor compares them.
 * The rows are checked together at the end of the statement: a row may refer to one written in the
 * same call. Values are written as the entity holds them: `onCreate` hooks and required-property
 * checks of a flush do not run (the table's constraints still do). For new rows only: pending
 * removals and many-to-many collections are refused.
 */
export async function insertPending(em: EntityManager): Promise<void> {
  const uow = em.getUnitOfWork();
  if (uow.getRemoveStack().size) throw unsupported('removals are pending');
  const entities = [...uow.getPersistStack()].filter((entity) => !helper(entity).__managed);
  if (!entities.length) return;
  const bindings: unknown[] = [];
  const inserts = entities.map((entity) => {
    const meta = helper(entity).__meta;
    if (meta.relations.some((prop) => prop.kind === 'm:n'))
      throw unsupported(`${meta.className} has many-to-many collections`);
    const values = entity as Record<string, unknown>;
    const row = Object.fromEntries(
      meta.props
        .filter((prop) => prop.persist !== false && values[prop.name] !== undefined)
        .map((prop) => [prop.name, values[prop.name]]),
    );
    // Column names and types (JSON, arrays, dates) converted as for `em.insert`.
    const query = em
      .createQueryBuilder(meta.className)
      .setFlag(QueryFlag.CONVERT_CUSTOM_TYPES)
      .insert(row)
      .getKnexQuery()
      .toSQL();
    bindings.push(...query.bindings);
    return query.sql;
  });
  const last = inserts.pop()!;
  const sql = inserts.length
    ? `with ${inserts.map((insert, i) => `pending_${i} as (${insert})`).join(', ')} ${last}`
    : last;
  await em.execute(sql, bindings);
  for (const entity of entities) uow.unsetIdentity(entity);
}

const unsupported = (why: string) =>
  new AppError('INTERNAL', `insertPending writes new rows only: ${why}`, {
    reason: 'INSERT_PENDING_UNSUPPORTED',
  });
