import { formatNumber, type NumberFormat } from '../numbers';
import type { EntityManager } from './orm';

/**
 * Where a series draws its counter from:
 * - `daily-row`: one row per (prefix, day) in `table` (`prefix`, `day`, `last`), incremented in the
 *   caller's transaction — gap-free per day, but the row stays locked until that transaction ends,
 *   so issues of the same day queue one after another;
 * - `sequence`: a PostgreSQL sequence — never blocks, ordered, but a rolled-back transaction
 *   leaves a gap.
 */
export type NumberSource =
  { kind: 'daily-row'; table: string } | { kind: 'sequence'; name: string };

export interface NumberSeries extends NumberFormat {
  source: NumberSource;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** The next number of `series`, taken in the caller's transaction; `localDate` is `YYYY-MM-DD`. */
export async function issueNumber(
  em: EntityManager,
  series: NumberSeries,
  localDate: string,
): Promise<string> {
  return formatNumber(series, await nextCounter(em, series, localDate), localDate);
}

async function nextCounter(em: EntityManager, series: NumberSeries, localDate: string) {
  const { source } = series;
  const name = source.kind === 'daily-row' ? source.table : source.name;
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain table or sequence name: ${name}`);
  if (source.kind === 'sequence') {
    const [row] = (await em.execute(`SELECT nextval('${name}') AS seq`)) as [{ seq: string }];
    return Number(row.seq);
  }
  const [row] = (await em.execute(
    `INSERT INTO ${name} (prefix, day, last) VALUES (?, ?, 1)
     ON CONFLICT (prefix, day) DO UPDATE SET last = ${name}.last + 1
     RETURNING last`,
    [series.prefix, localDate.replaceAll('-', '')],
  )) as [{ last: number }];
  return row.last;
}
