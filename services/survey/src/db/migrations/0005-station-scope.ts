import { Migration } from '@mikro-orm/migrations';

/**
 * SPEC §6 satisfaction and follow-up rate per service station: work-order surveys and follow-ups
 * keep the station of their `workorder.completed` event. Rows stored before (and complaint-handling
 * surveys, whose event names no station) have none and count only in figures not cut by station.
 */
export class StationScopeMigration extends Migration {
  override up(): void {
    this.addSql(`
      ALTER TABLE survey ADD COLUMN station_code text;
      ALTER TABLE follow_up ADD COLUMN station_code text;
      CREATE INDEX survey_station_date_idx ON survey (station_code, service_date) WHERE station_code IS NOT NULL;
      CREATE INDEX follow_up_station_date_idx ON follow_up (station_code, service_date) WHERE station_code IS NOT NULL;
    `);
  }
}
