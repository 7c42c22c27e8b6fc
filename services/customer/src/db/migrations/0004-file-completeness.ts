import { Migration } from '@mikro-orm/migrations';

/**
 * R-CU-6 the completeness check of a new customer's file. Customers registered before it have no
 * row: their file predates the rule and no first visit of theirs starts a clock.
 */
export class FileCompletenessMigration extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE customer_file_check (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL UNIQUE REFERENCES customer (id) DEFERRABLE INITIALLY DEFERRED,
        work_order_id uuid,
        first_visit_at timestamptz,
        due_at timestamptz,
        registered_by text,
        completed_at timestamptz,
        reported_at timestamptz,
        missing_items text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL,
        CHECK ((first_visit_at IS NULL) = (due_at IS NULL))
      );
      -- The scheduler's scan: files whose clock runs and that are not complete yet.
      CREATE INDEX customer_file_check_open_idx ON customer_file_check (due_at)
        WHERE completed_at IS NULL AND due_at IS NOT NULL;
    `);
  }
}
