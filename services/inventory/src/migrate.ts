import { runMigrateCommand } from '@aftercare/kit';
import { loadInventoryConfig } from './config';
import { inventoryEntities } from './db/entities';
import { inventoryMigrations } from './db/migrations';

/** `npm run migrate -w @aftercare/inventory-service`: the migration Job of a deployment. */
runMigrateCommand(() => ({
  config: loadInventoryConfig(),
  entities: inventoryEntities,
  migrations: inventoryMigrations,
}));
