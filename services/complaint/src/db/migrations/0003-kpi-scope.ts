import { Migration } from '@mikro-orm/migrations';

/**
 * SPEC §6 KPIs per region and technician: completed work orders keep the region and technicians of
 * their `workorder.completed` event. Rows stored before have no region and no technicians; they
 * still count in unscoped figures.
 */
export class KpiScopeMigration extends Migration {
  override up(): void {
    this.addSql(`
      ALTER TABLE completed_work_order
        ADD COLUMN province text,
        ADD COLUMN city text,
        ADD COLUMN district text,
        ADD COLUMN technician_ids jsonb NOT NULL DEFAULT '[]'::jsonb;
      CREATE INDEX completed_work_order_technicians_idx ON completed_work_order USING gin (technician_ids);
    `);
  }
}
