import type { Orm } from '../db';
import { dbStatements } from './instruments';
import type { Metrics } from './registry';
import { currentWork } from './work-scope';

/**
 * Counts every statement the service sends into `db_client_statements_total`, labelled with the
 * unit of work that sent it, so statements per operation (an N+1 query, a write path's round
 * trips) can be read from `/metrics` in production as in `npm run bench`. Knex reports each query
 * it runs, transaction control included, whichever MikroORM API issued it.
 */
export function countStatements(orm: Orm, metrics: Metrics): void {
  const counter = dbStatements(metrics);
  orm.em
    .getConnection()
    .getKnex()
    .on('query', () => {
      const work = currentWork();
      counter.inc({
        db_transaction_kind: work?.kind ?? 'other',
        db_transaction_name: work?.name ?? 'other',
      });
    });
}
