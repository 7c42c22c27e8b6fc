import { createHash } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import type { EntityManager } from './orm';

/** Texts seen, by name; cleared when full, as a repeating text is named again at its next call. */
const names = new Map<string, string>();
const MAX_NAMES = 1_000;

/** A name PostgreSQL and node-pg keep per connection: one text, one name, whoever prepares it. */
export function statementName(sql: string): string {
  let name = names.get(sql);
  if (name === undefined) {
    if (names.size >= MAX_NAMES) names.clear();
    name = `aftercare_${createHash('sha1').update(sql).digest('hex')}`;
    names.set(sql, name);
  }
  return name;
}

/**
 * `sql` (knex's `?` placeholders) with `bindings`, as a named prepared statement of the connection
 * it runs on, inside `em`'s transaction when there is one. PostgreSQL then parses, analyses and
 * plans the text once per connection; `em.execute` writes the values into the text, so each call
 * is a statement PostgreSQL has never seen, and parsing and planning were about a third of its CPU
 * at intake (ADR 0037).
 *
 * Only for texts that repeat — made once per entity type or per shape of rows — so that each
 * connection holds a bounded set. A statement's result columns must be named, never `*`: after a
 * migration adds a column PostgreSQL would refuse the prepared `*` ("cached plan must not change
 * result type") on every connection that had prepared it.
 */
export async function executePrepared<T = Record<string, unknown>>(
  em: EntityManager,
  sql: string,
  bindings: readonly unknown[],
): Promise<T[]> {
  const query = em
    .getKnex()
    .raw(sql, bindings as Knex.RawBinding[])
    .options({ name: statementName(sql) });
  const transaction = em.getTransactionContext<Knex.Transaction>();
  if (transaction) query.transacting(transaction);
  const result = (await query) as { rows: T[] };
  return result.rows;
}
