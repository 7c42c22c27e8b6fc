import { uuidv7 } from '../ids';
import { formatNumber, numberStem, type NumberFormat } from '../numbers';
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
  const { sql, bindings } = drawCounter(series, localDate, (counter) => ({
    sql: `${counter} AS counter`,
    bindings: [],
  }));
  const [row] = (await em.execute(sql, bindings)) as [{ counter: number | string }];
  return formatNumber(series, Number(row.counter), localDate);
}

/**
 * A number drawn by the statement that writes the rows carrying it (`insertPending(em, number)`),
 * not by a round trip of its own before them: a daily row is then locked from that statement to
 * the COMMIT only, instead of across every round trip between. Until that statement, the rows
 * (entities, event data) carry `token` where the number goes.
 */
export interface PendingNumber {
  /**
   * Stands for the number until it is drawn: random, so no real value equals it by chance, and a
   * plain string, so it passes where the number's own type (text) is checked.
   */
  readonly token: string;
  /** One statement returning the formatted number as `number` (a data-modifying CTE when daily). */
  readonly sql: string;
  readonly bindings: readonly unknown[];
}

/** The next number of `series`, to be drawn by `insertPending`; `localDate` is `YYYY-MM-DD`. */
export function pendingNumber(series: NumberSeries, localDate: string): PendingNumber {
  // formatNumber's layout in SQL: the stem, then the counter padded to `digits`, growing past them.
  const { sql, bindings } = drawCounter(series, localDate, (counter) => ({
    sql: `?::text || lpad(${counter}::text, greatest(?::int, length(${counter}::text)), '0') AS number`,
    bindings: [numberStem(series, localDate), series.digits],
  }));
  return { token: `(number of ${series.prefix} pending ${uuidv7()})`, sql, bindings };
}

/** The statement that takes the next counter of `series`, returning what `returning` makes of it. */
function drawCounter(
  series: NumberSeries,
  localDate: string,
  returning: (counter: string) => { sql: string; bindings: unknown[] },
): { sql: string; bindings: unknown[] } {
  const { source } = series;
  const name = source.kind === 'daily-row' ? source.table : source.name;
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain table or sequence name: ${name}`);
  if (source.kind === 'sequence') {
    // Drawn once in a subquery: `returning` may name the counter more than once.
    const value = returning('drawn.last');
    return {
      sql: `SELECT ${value.sql} FROM (SELECT nextval('${name}') AS last) AS drawn`,
      bindings: value.bindings,
    };
  }
  const value = returning(`${name}.last`);
  return {
    sql: `INSERT INTO ${name} (prefix, day, last) VALUES (?, ?, 1)
     ON CONFLICT (prefix, day) DO UPDATE SET last = ${name}.last + 1
     RETURNING ${value.sql}`,
    bindings: [series.prefix, localDate.replaceAll('-', ''), ...value.bindings],
  };
}
