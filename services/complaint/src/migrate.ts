import { runMigrateCommand } from '@aftercare/kit';
import { loadComplaintConfig } from './config';
import { complaintEntities } from './db/entities';
import { complaintMigrations } from './db/migrations';

/** `npm run migrate -w @aftercare/complaint-service`: the migration Job of a deployment. */
runMigrateCommand(() => ({
  config: loadComplaintConfig(),
  entities: complaintEntities,
  migrations: complaintMigrations,
}));
