import { Migration } from '@mikro-orm/migrations';

/**
 * SPEC §6 KPIs per service station: a work order belongs to the station handling it, and a staff
 * member on the roster to their station (the default for orders they register). Orders and staff
 * stored before have none (null) and count only in figures not cut by station.
 */
export class ServiceStationMigration extends Migration {
  override up(): void {
    this.addSql(`
      ALTER TABLE staff ADD COLUMN station_code text;
      ALTER TABLE work_order ADD COLUMN station_code text;
      CREATE INDEX work_order_station_called_idx ON work_order (station_code, called_at);
    `);
  }
}
