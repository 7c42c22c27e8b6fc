import { type EntityProperty, helper, ReferenceKind } from '@mikro-orm/core';
import { AppError } from '../errors';
import type { EntityManager } from './orm';

/**
 * Inserts new entities — of one table or of several — with one statement in `em`'s transaction:
 * each row as `em.insert` would write it (the entity's snapshot, so column types convert as in a
 * flush), all but the last in data-modifying CTEs, which PostgreSQL runs exactly once whether or
 * not the main statement reads them. One round trip instead of one per table, and no unit of
 * work: the entities stay unmanaged, as after `em.insert`. For changes that only add rows (an
 * entry and its event); entities whose properties are all plain columns (no relations or
 * embeddables), as every service's are.
 */
export async function insertTogether(
  em: EntityManager,
  entities: readonly object[],
): Promise<void> {
  const knex = em.getKnex();
  const inserts = entities.map((entity) => {
    const meta = helper(entity).__meta;
    const snapshot = em.getComparator().prepareEntity(entity) as Record<string, unknown>;
    const row: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(snapshot)) {
      const prop = (meta.properties as Record<string, EntityProperty | undefined>)[name];
      if (prop?.kind !== ReferenceKind.SCALAR || prop.fieldNames.length !== 1)
        throw new AppError(
          'INTERNAL',
          `insertTogether takes plain columns only; ${meta.className}.${name} is not one`,
          { reason: 'UNSUPPORTED_ENTITY' },
        );
      row[prop.fieldNames[0]!] = value;
    }
    return knex.insert(row).into(meta.tableName);
  });
  const last = inserts.pop();
  if (!last) return;
  inserts.forEach((insert, i) => last.with(`insert_${i}`, insert));
  await em.execute(last);
}
