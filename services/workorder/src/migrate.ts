import { runMigrateCommand } from '@aftercare/kit';
import { loadWorkOrderConfig } from './config';
import { workOrderEntities } from './db/entities';
import { workOrderMigrations } from './db/migrations';

/** `npm run migrate -w @aftercare/workorder-service`: the migration Job of a deployment. */
runMigrateCommand(() => ({
  config: loadWorkOrderConfig(),
  entities: workOrderEntities,
  migrations: workOrderMigrations,
}));
