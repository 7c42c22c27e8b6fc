import { Migration } from '@mikro-orm/migrations';

/** R-SV-3: the maintenance cycle of an asset, so maintenance is reminded every cycle, not once. */
export class MaintenanceCycleMigration extends Migration {
  override up(): void {
    this.addSql(`ALTER TABLE asset_file ADD COLUMN maintenance_cycle_days integer;`);
  }
}
