import { Migration } from '@mikro-orm/migrations';

export class OldPartsMigration extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE completed_work_order (
        work_order_id uuid PRIMARY KEY,
        service_type text NOT NULL,
        parts_replaced jsonb NOT NULL,
        old_parts_collected boolean NOT NULL,
        old_parts jsonb NOT NULL,
        completed_at timestamptz
      );
      CREATE TABLE old_part_receipt (
        id uuid PRIMARY KEY,
        work_order_id uuid NOT NULL,
        part_code text,
        name text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        received_by text NOT NULL,
        received_at timestamptz NOT NULL
      );
      CREATE INDEX old_part_receipt_work_order_idx ON old_part_receipt (work_order_id);
    `);
  }
}
