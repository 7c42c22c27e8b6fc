import { Migration } from '@mikro-orm/migrations';

/**
 * R-CU-4 retention and approved destruction (ADR 0033). `customer.last_activity_at` is the
 * retention clock: the customer row's own changes set it, and every record added to the file
 * (asset, asset change, contact-log entry, handover, handed-over document) moves it forward from
 * a trigger in the writer's transaction, so no writer — desk, gRPC or event consumer — can forget
 * it. The same trigger refuses records for a destroyed file, whatever the race with its approval.
 */
export class ArchiveRetentionMigration extends Migration {
  override up(): void {
    this.addSql(`
      ALTER TABLE customer ADD COLUMN last_activity_at timestamptz;
      UPDATE customer c SET last_activity_at = GREATEST(
        c.created_at, c.updated_at,
        (SELECT max(changed_at) FROM customer_change WHERE customer_id = c.id),
        (SELECT max(created_at) FROM asset WHERE customer_id = c.id),
        (SELECT max(ch.changed_at) FROM asset_change ch JOIN asset a ON a.id = ch.asset_id
          WHERE a.customer_id = c.id),
        (SELECT max(changed_at) FROM asset_change
          WHERE kind = 'OWNERSHIP' AND old_value ->> 'customerId' = c.id::text),
        (SELECT max(created_at) FROM contact_log WHERE customer_id = c.id),
        (SELECT max(created_at) FROM archive_handover WHERE customer_id = c.id),
        (SELECT max(received_at) FROM archive_document WHERE customer_id = c.id));
      ALTER TABLE customer ALTER COLUMN last_activity_at SET NOT NULL;
      -- The past-retention list: oldest activity first, keyset on (last_activity_at, id).
      CREATE INDEX customer_last_activity_idx ON customer (last_activity_at, id)
        WHERE status <> 'DESTROYED';

      ALTER TABLE customer DROP CONSTRAINT customer_status_check;
      ALTER TABLE customer ADD CONSTRAINT customer_status_check
        CHECK (status IN ('ACTIVE','INACTIVE','DESTROYED'));

      CREATE FUNCTION customer_touch(customer_id uuid, at timestamptz) RETURNS void
      LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE customer SET last_activity_at = GREATEST(last_activity_at, at)
          WHERE id = customer_id AND status <> 'DESTROYED';
        IF NOT FOUND AND EXISTS (SELECT 1 FROM customer WHERE id = customer_id) THEN
          RAISE EXCEPTION 'customer % was destroyed (R-CU-4): its file takes no new records',
            customer_id USING ERRCODE = 'check_violation';
        END IF;
      END $$;

      CREATE FUNCTION customer_activity() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        CASE TG_TABLE_NAME
          WHEN 'asset' THEN PERFORM customer_touch(NEW.customer_id, NEW.created_at);
          WHEN 'contact_log', 'archive_handover' THEN
            PERFORM customer_touch(NEW.customer_id, NEW.created_at);
          WHEN 'archive_document' THEN PERFORM customer_touch(NEW.customer_id, NEW.received_at);
          WHEN 'asset_change' THEN
            PERFORM customer_touch(a.customer_id, NEW.changed_at) FROM asset a WHERE a.id = NEW.asset_id;
            -- A transfer is activity on both files, whichever owner the asset row names yet.
            IF NEW.kind = 'OWNERSHIP' THEN
              PERFORM customer_touch((NEW.old_value ->> 'customerId')::uuid, NEW.changed_at);
              PERFORM customer_touch((NEW.new_value ->> 'customerId')::uuid, NEW.changed_at);
            END IF;
        END CASE;
        RETURN NULL;
      END $$;
      CREATE TRIGGER asset_activity AFTER INSERT ON asset
        FOR EACH ROW EXECUTE FUNCTION customer_activity();
      CREATE TRIGGER asset_change_activity AFTER INSERT ON asset_change
        FOR EACH ROW EXECUTE FUNCTION customer_activity();
      CREATE TRIGGER contact_log_activity AFTER INSERT ON contact_log
        FOR EACH ROW EXECUTE FUNCTION customer_activity();
      CREATE TRIGGER archive_handover_activity AFTER INSERT ON archive_handover
        FOR EACH ROW EXECUTE FUNCTION customer_activity();
      CREATE TRIGGER archive_document_activity AFTER INSERT ON archive_document
        FOR EACH ROW EXECUTE FUNCTION customer_activity();

      -- A destruction request and, once approved, the destruction record: the fact, no content.
      CREATE TABLE archive_destruction (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customer (id),
        customer_code text NOT NULL,
        status text NOT NULL CHECK (status IN ('REQUESTED','DESTROYED','REJECTED')),
        reason text NOT NULL,
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL,
        last_activity_at timestamptz NOT NULL,
        retention_ends_on date NOT NULL,
        decided_by text,
        decided_at timestamptz,
        rejection_reason text,
        destroyed_records jsonb NOT NULL DEFAULT '[]',
        CHECK ((status = 'REQUESTED') = (decided_at IS NULL))
      );
      -- One open request per file; one destruction per file.
      CREATE UNIQUE INDEX archive_destruction_open_key ON archive_destruction (customer_id)
        WHERE status IN ('REQUESTED','DESTROYED');
      CREATE INDEX archive_destruction_customer_idx ON archive_destruction (customer_id, id);
    `);
  }
}
