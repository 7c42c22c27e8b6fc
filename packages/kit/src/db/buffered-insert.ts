import { AppError } from '../errors';
import type { Logger } from '../logger';
import * as instruments from '../observability/instruments';
import type { Metrics } from '../observability/registry';
import { runAsWork } from '../observability/work-scope';
import type { Orm } from './orm';

export interface BufferedInsertOptions {
  orm: Orm;
  /** The append-only table; rows are objects keyed by its column names. */
  table: string;
  /** A flush starts this long after the first row buffered since the last one. */
  flushIntervalMs: number;
  /** Rows per INSERT at most (PostgreSQL takes 65 535 parameters: keep rows × columns below). */
  batchRows: number;
  /**
   * Rows held at most. When a flush fails its rows stay buffered and are retried; once this many
   * wait, `add` refuses (UNAVAILABLE) instead of dropping any: back-pressure on what writes them.
   */
  maxRows: number;
  logger: Logger;
  metrics?: Metrics;
}

export interface BufferedInsert<Row> {
  /** Buffers rows for the next flush; UNAVAILABLE `BUFFER_FULL` when `maxRows` wait already. */
  add(rows: readonly Row[]): void;
  /** Writes everything buffered now, one multi-row INSERT per `batchRows`; resolves with the count. */
  flush(): Promise<number>;
  /** Stops the timer and flushes what is left (graceful shutdown); rows added later are refused. */
  close(): Promise<void>;
  /** How many rows wait. */
  pending(): number;
}

/**
 * Appends rows to a table in batches, off the request path: a caller's `add` only pushes to an
 * array, a timer writes them with one multi-row INSERT. For append-only logs whose writing must
 * not cost the reads they record a transaction each (ADR 0031). A crash loses at most the rows of
 * one interval; a failed flush loses nothing (retried, bounded by `maxRows`).
 */
export function createBufferedInsert<Row extends object>(
  options: BufferedInsertOptions,
): BufferedInsert<Row> {
  const { orm, table, logger } = options;
  const labels = { db_table: table };
  const recorded = options.metrics && {
    rows: instruments.bufferedRows(options.metrics),
    failures: instruments.bufferedFlushFailures(options.metrics),
    pending: instruments.bufferedPending(options.metrics),
  };
  let buffer: Row[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const schedule = () => {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush().catch(() => undefined);
    }, options.flushIntervalMs);
    // Buffered rows alone must not keep a finished process alive: shutdown flushes them.
    timer.unref();
  };

  async function writeAll(): Promise<number> {
    let written = 0;
    while (buffer.length) {
      const batch = buffer.slice(0, options.batchRows);
      try {
        await runAsWork({ kind: 'buffered_insert', name: table }, () =>
          orm.em.getConnection().getKnex().insert(batch).into(table),
        );
      } catch (err) {
        recorded?.failures.inc(labels);
        logger.error(
          { err, table, rows: batch.length, pending: buffer.length },
          `${table}: batched insert failed; rows kept for the next flush`,
        );
        schedule();
        throw err;
      }
      buffer = buffer.slice(batch.length);
      written += batch.length;
      recorded?.rows.inc({ ...labels, outcome: 'written' }, batch.length);
      recorded?.pending.set(labels, buffer.length);
    }
    return written;
  }

  // Flushes run one after another: each writes what is buffered when its turn comes.
  let chain: Promise<unknown> = Promise.resolve();
  function flush(): Promise<number> {
    const next = chain.then(writeAll);
    chain = next.catch(() => undefined);
    return next;
  }

  return {
    add(rows) {
      if (!rows.length) return;
      if (closed || buffer.length + rows.length > options.maxRows) {
        recorded?.rows.inc({ ...labels, outcome: 'refused' }, rows.length);
        throw new AppError(
          'UNAVAILABLE',
          closed
            ? `${table} is closed: the service is shutting down`
            : `${table} cannot be written right now; try again shortly`,
          { reason: 'BUFFER_FULL' },
        );
      }
      buffer.push(...rows);
      recorded?.pending.set(labels, buffer.length);
      if (buffer.length >= options.batchRows) void flush().catch(() => undefined);
      else schedule();
    },
    flush,
    async close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      await flush();
    },
    pending: () => buffer.length,
  };
}
