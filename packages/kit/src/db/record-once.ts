import type { EntityManager } from './orm';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Records a fact unless it is already there — `INSERT … ON CONFLICT DO NOTHING` on the table's
 * unique key — and says whether this call recorded it. What goes with the fact (its event, a
 * counter) follows only when it did: with several replicas scanning, exactly one of them wins,
 * and a lost race costs no lock wait beyond the key's.
 *
 * `row` maps column names (snake_case, as in the table) to values; `conflictOn` names the unique
 * key when the table has more than one.
 */
export async function recordOnce(
  em: EntityManager,
  table: string,
  row: Record<string, unknown>,
  conflictOn: readonly string[] = [],
): Promise<boolean> {
  const columns = Object.keys(row);
  for (const name of [table, ...columns, ...conflictOn]) {
    if (!IDENTIFIER.test(name)) throw new Error(`not a plain table or column name: ${name}`);
  }
  const target = conflictOn.length ? ` (${conflictOn.join(', ')})` : '';
  const inserted = await em.execute(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
     ON CONFLICT${target} DO NOTHING RETURNING 1 AS recorded`,
    Object.values(row),
  );
  return inserted.length > 0;
}
