import { Migration } from '@mikro-orm/migrations';

/**
 * SPEC §6 KPIs per service station: completed work orders keep the station of their
 * `workorder.completed` event, and a complaint about a work order the station handling it when
 * the complaint was recorded. Rows stored before have none and count only in figures not cut by
 * station.
 */
export class StationScopeMigration extends Migration {
  override up(): void {
    this.addSql(`
      ALTER TABLE completed_work_order ADD COLUMN station_code text;
      CREATE INDEX completed_work_order_station_idx ON completed_work_order (station_code, completed_at);
      ALTER TABLE complaint ADD COLUMN station_code text;
    `);
  }
}
