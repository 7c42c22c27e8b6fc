import { EventType, TransactionContext, TransactionEventBroadcaster } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/knex';
import type { QueryResult } from 'pg';
import type { EntityManager, Orm } from './orm';

/** What of knex's transaction this relies on: knex has no public way to skip its BEGIN. */
interface KnexTransaction extends PromiseLike<unknown> {
  trxClient: { query(connection: unknown, sql: string): Promise<{ response: unknown }> };
  begin(connection: unknown): Promise<unknown>;
  catch(onRejected: (e: unknown) => void): unknown;
}

type Transactor = Knex.Transaction & { executionPromise: Promise<unknown> };

/**
 * `em.transactional` on a fresh fork, whose BEGIN travels with the transaction's first statement
 * as one simple-protocol query: one round trip where knex sends two (ADR 0036). Such a query
 * cannot carry parameters: `opening` must hold only our own constants and values checked before
 * they were written in. `run` gets the fork bound to the transaction and the results of the
 * opening (BEGIN's first). Otherwise as `em.transactional` at the top level: the same transaction
 * events (the outbox's kick, the transaction timings), the flush before COMMIT, a rollback when
 * `run` throws; a failed opening rolls back before the connection goes back to the pool.
 */
export async function transactionalOpening<T>(
  orm: Orm,
  opening: string,
  run: (em: EntityManager, opened: QueryResult[]) => Promise<T>,
): Promise<T> {
  const em = orm.em.fork({ cloneEventManager: true });
  const broadcaster = new TransactionEventBroadcaster(em, undefined, { topLevelTransaction: true });
  await broadcaster.dispatchEvent(EventType.beforeTransactionStart);
  const knex = em.getConnection().getKnex();
  let opened: QueryResult[] = [];
  const trx = await new Promise<Transactor>((resolve, reject) => {
    // The config `knex.transaction` passes; the transaction begins once a connection is acquired,
    // after this synchronous code, so the BEGIN it then sends is this one.
    const transaction = knex.client.transaction(resolve, {
      userParams: knex.userParams,
      doNotRejectOnRollback: true,
    }) as KnexTransaction;
    transaction.begin = async (connection) => {
      try {
        opened = (await transaction.trxClient.query(connection, opening)).response as QueryResult[];
      } catch (e) {
        // BEGIN may have passed: an aborted transaction must not go back to the pool.
        await transaction.trxClient.query(connection, 'rollback').catch(() => undefined);
        throw e;
      }
    };
    transaction.catch(reject);
  });
  await broadcaster.dispatchEvent(EventType.afterTransactionStart, trx);
  em.setTransactionContext(trx);
  try {
    const result = await TransactionContext.create(em, async () => {
      const value = await run(em, opened);
      await em.flush();
      return value;
    });
    await broadcaster.dispatchEvent(EventType.beforeTransactionCommit, trx);
    void trx.commit();
    await trx.executionPromise;
    await broadcaster.dispatchEvent(EventType.afterTransactionCommit, trx);
    return result;
  } catch (e) {
    await broadcaster.dispatchEvent(EventType.beforeTransactionRollback, trx);
    await trx.rollback();
    await broadcaster.dispatchEvent(EventType.afterTransactionRollback, trx);
    throw e;
  }
}
