import { Migration } from '@mikro-orm/migrations';

/** R-CU-3 archive handovers and the documents handed over. */
export class ArchiveHandoverMigration extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE archive_handover (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customer (id),
        asset_id uuid REFERENCES asset (id),
        work_order_id uuid,
        source text NOT NULL CHECK (source IN ('SALES','AFTER_SALES')),
        trigger_key text NOT NULL UNIQUE,
        event_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        responsible_staff_id text,
        received_at timestamptz,
        received_by text,
        handed_over_by text,
        late boolean,
        missing_kinds text[] NOT NULL DEFAULT '{}',
        unsigned_kinds text[] NOT NULL DEFAULT '{}',
        violation_notified_at timestamptz,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX archive_handover_customer_idx ON archive_handover (customer_id);
      CREATE INDEX archive_handover_asset_idx ON archive_handover (asset_id);
      -- The scheduler's scan: open handovers past their deadline, not yet reported.
      CREATE INDEX archive_handover_open_idx ON archive_handover (due_at)
        WHERE received_at IS NULL AND violation_notified_at IS NULL;
      CREATE TABLE archive_document (
        id uuid PRIMARY KEY,
        handover_id uuid NOT NULL REFERENCES archive_handover (id) DEFERRABLE INITIALLY DEFERRED,
        customer_id uuid NOT NULL,
        asset_id uuid,
        kind text NOT NULL,
        reference text,
        customer_signed boolean NOT NULL,
        handed_over_by text NOT NULL,
        received_by text NOT NULL,
        received_at timestamptz NOT NULL
      );
      CREATE INDEX archive_document_handover_idx ON archive_document (handover_id);
    `);
  }
}
