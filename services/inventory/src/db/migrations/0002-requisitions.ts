import { Migration } from '@mikro-orm/migrations';

export class RequisitionsMigration extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE requisition (
        id uuid PRIMARY KEY,
        work_order_id uuid NOT NULL,
        warehouse_code text NOT NULL REFERENCES warehouse(code),
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL,
        note text,
        status text NOT NULL,
        lines jsonb NOT NULL,
        decided_by text,
        decided_at timestamptz,
        status_reason text,
        version integer NOT NULL DEFAULT 1
      );
      CREATE INDEX requisition_work_order_idx ON requisition (work_order_id);
      CREATE INDEX requisition_status_idx ON requisition (status);
    `);
  }
}
