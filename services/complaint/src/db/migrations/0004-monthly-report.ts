import { Migration } from '@mikro-orm/migrations';

/** R-CO-4: one row per published monthly report, so each month goes out once across replicas. */
export class MonthlyReportMigration extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE complaint_monthly_report (
        month text PRIMARY KEY CHECK (month ~ '^[0-9]{4}-[0-9]{2}$'),
        published_at timestamptz NOT NULL
      );
    `);
  }
}
