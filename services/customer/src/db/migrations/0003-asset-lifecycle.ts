import { Migration } from '@mikro-orm/migrations';

/** R-CU-7 the asset file follows the asset: its changes kept as history, swapped units on file. */
export class AssetLifecycleMigration extends Migration {
  override up(): void {
    this.addSql(`
      ALTER TABLE asset
        ADD COLUMN last_maintenance date,
        ADD COLUMN unit_swaps jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN version integer NOT NULL DEFAULT 1;
      CREATE TABLE asset_change (
        id uuid PRIMARY KEY,
        asset_id uuid NOT NULL REFERENCES asset (id),
        kind text NOT NULL
          CHECK (kind IN ('READING','MAINTENANCE','CONTRACT','OWNERSHIP','UNIT_SWAP','WARRANTY')),
        old_value jsonb,
        new_value jsonb,
        reason text,
        work_order_id uuid,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL
      );
      CREATE INDEX asset_change_asset_idx ON asset_change (asset_id, id);
    `);
  }
}
