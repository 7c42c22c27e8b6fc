import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import type { Orm } from '../db';
import { dbTransactionDuration } from './instruments';
import { secondsSince, type Metrics } from './registry';
import { currentWork, type WorkScope } from './work-scope';

/**
 * Times every MikroORM transaction (savepoints of nested ones included) into
 * `db_client_transaction_duration_seconds`, labelled with what started it (`runAsWork`: a
 * GraphQL operation, a gRPC method, a consumer, a scheduler, the outbox relay) and its outcome.
 * A subscriber, so no service changes its `transactional` calls.
 */
export function instrumentTransactions(orm: Orm, metrics: Metrics): void {
  const histogram = dbTransactionDuration(metrics);
  const started = new WeakMap<object, { startMs: number; work?: WorkScope }>();
  const finish = (args: TransactionEventArgs, outcome: 'commit' | 'rollback') => {
    const entry = args.transaction && started.get(args.transaction);
    if (!entry) return;
    started.delete(args.transaction!);
    histogram.observe(
      {
        db_transaction_kind: entry.work?.kind ?? 'other',
        db_transaction_name: entry.work?.name ?? 'other',
        outcome,
      },
      secondsSince(entry.startMs),
    );
  };
  const subscriber: EventSubscriber = {
    afterTransactionStart(args) {
      if (args.transaction)
        started.set(args.transaction, { startMs: performance.now(), work: currentWork() });
    },
    afterTransactionCommit: (args) => finish(args, 'commit'),
    afterTransactionRollback: (args) => finish(args, 'rollback'),
  };
  orm.em.getEventManager().registerSubscriber(subscriber);
}

/**
 * For a transaction MikroORM does not see (plain knex, like the outbox relay's): runs `run` and
 * times it into the same histogram with the same labels as `instrumentTransactions`.
 */
export function timeTransaction(metrics: Metrics): <T>(run: () => Promise<T>) => Promise<T> {
  const histogram = dbTransactionDuration(metrics);
  return async (run) => {
    const startMs = performance.now();
    const work = currentWork();
    let outcome: 'commit' | 'rollback' = 'rollback';
    try {
      const result = await run();
      outcome = 'commit';
      return result;
    } finally {
      histogram.observe(
        {
          db_transaction_kind: work?.kind ?? 'other',
          db_transaction_name: work?.name ?? 'other',
          outcome,
        },
        secondsSince(startMs),
      );
    }
  };
}
