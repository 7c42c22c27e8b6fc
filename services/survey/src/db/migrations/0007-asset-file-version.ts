import { Migration } from '@mikro-orm/migrations';

/** R-CU-7: asset files change after registration; the version keeps the newest of their events. */
export class AssetFileVersionMigration extends Migration {
  override up(): void {
    this.addSql(`ALTER TABLE asset_file ADD COLUMN version integer NOT NULL DEFAULT 1;`);
  }
}
