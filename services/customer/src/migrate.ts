import { runMigrateCommand } from '@aftercare/kit';
import { loadCustomerConfig } from './config';
import { customerEntities } from './db/entities';
import { customerMigrations } from './db/migrations';

/** `npm run migrate -w @aftercare/customer-service`: the migration Job of a deployment. */
runMigrateCommand(() => ({
  config: loadCustomerConfig(),
  entities: customerEntities,
  migrations: customerMigrations,
}));
