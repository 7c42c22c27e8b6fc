import { ConfigError, runMigrations } from '@aftercare/kit';
import { loadCustomerConfig } from './config';
import { customerEntities } from './db/entities';
import { customerMigrations } from './db/migrations';

/** `npm run migrate -w @aftercare/customer-service`: the migration Job of a deployment. */
runMigrations({
  config: loadCustomerConfig(),
  entities: customerEntities,
  migrations: customerMigrations,
})
  .then((applied) =>
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date'),
  )
  .catch((err) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  });
