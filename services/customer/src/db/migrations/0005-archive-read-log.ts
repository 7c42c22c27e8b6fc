import { Migration } from '@mikro-orm/migrations';

/**
 * R-CU-4 the read log: one row per staff read of a customer or asset file, written in batches
 * (ADR 0031). No foreign keys: the log outlives the files it names (destruction keeps the fact of
 * every read). Append-only in the database too: a trigger refuses UPDATE, DELETE and TRUNCATE, so
 * neither the service nor a slip at a console rewrites who read what.
 */
export class ArchiveReadLogMigration extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE archive_read_log (
        id uuid PRIMARY KEY,
        read_at timestamptz NOT NULL,
        reader_id text NOT NULL,
        reader_roles text[] NOT NULL,
        caller_service text,
        channel text NOT NULL CHECK (channel IN ('graphql', 'grpc')),
        operation text NOT NULL,
        purpose text NOT NULL,
        customer_id uuid,
        asset_id uuid,
        CHECK (customer_id IS NOT NULL OR asset_id IS NOT NULL)
      );
      -- The auditors' filters, each newest first (ids are uuidv7: time-ordered).
      CREATE INDEX archive_read_log_customer_idx ON archive_read_log (customer_id, id)
        WHERE customer_id IS NOT NULL;
      CREATE INDEX archive_read_log_asset_idx ON archive_read_log (asset_id, id)
        WHERE asset_id IS NOT NULL;
      CREATE INDEX archive_read_log_reader_idx ON archive_read_log (reader_id, id);
      CREATE INDEX archive_read_log_read_at_idx ON archive_read_log (read_at);

      CREATE FUNCTION archive_read_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'archive_read_log is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$;
      CREATE TRIGGER archive_read_log_no_update_delete BEFORE UPDATE OR DELETE ON archive_read_log
        FOR EACH ROW EXECUTE FUNCTION archive_read_log_refuse_change();
      CREATE TRIGGER archive_read_log_no_truncate BEFORE TRUNCATE ON archive_read_log
        FOR EACH STATEMENT EXECUTE FUNCTION archive_read_log_refuse_change();
    `);
  }
}
