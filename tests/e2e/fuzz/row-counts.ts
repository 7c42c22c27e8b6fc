import { Client } from 'pg';

/** Exact row count of every table, keyed `database.schema.table`. */
export type Counts = ReadonlyMap<string, number>;

export interface RowCounter {
  snapshot(): Promise<Counts>;
  close(): Promise<void>;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const text = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Counts every table of every given database with one statement per database (a UNION ALL of
 * `count(*)`, built once), over connections kept open: cheap enough to run around every refused
 * mutation. Exact counts, not pg_stat estimates, which lag and miss rolled-back work.
 */
export async function openRowCounter(databases: Record<string, string>): Promise<RowCounter> {
  const counters = await Promise.all(
    Object.entries(databases).map(async ([label, url]) => {
      const db = new Client({ connectionString: url });
      await db.connect();
      const tables = await db.query<{ schema: string; name: string }>(
        `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
          WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
          ORDER BY 1, 2`,
      );
      const sql = tables.rows
        .map(
          ({ schema, name }) =>
            `SELECT ${text(`${label}.${schema}.${name}`)} AS t, count(*)::int AS n FROM ${ident(schema)}.${ident(name)}`,
        )
        .join(' UNION ALL ');
      return { db, sql };
    }),
  );
  return {
    async snapshot() {
      const results = await Promise.all(counters.map(({ db, sql }) => db.query(sql)));
      return new Map(
        results.flatMap((r) => r.rows.map((row: { t: string; n: number }) => [row.t, row.n])),
      );
    },
    async close() {
      await Promise.all(counters.map(({ db }) => db.end()));
    },
  };
}

/** The tables whose counts differ, as `table +n`. */
export function countChanges(before: Counts, after: Counts): string[] {
  return [...after]
    .filter(([table, n]) => n !== (before.get(table) ?? 0))
    .map(([table, n]) => {
      const delta = n - (before.get(table) ?? 0);
      return `${table} ${delta > 0 ? '+' : ''}${delta}`;
    });
}
