import { Migration } from '@mikro-orm/migrations';

export class StockLedgerMigration extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE part (
        code text PRIMARY KEY,
        name text NOT NULL,
        spec text,
        unit text NOT NULL,
        price_fen bigint NOT NULL CHECK (price_fen >= 0),
        critical boolean NOT NULL DEFAULT false,
        reorder_point integer NOT NULL DEFAULT 0 CHECK (reorder_point >= 0),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );

      CREATE TABLE warehouse (
        code text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('CENTRAL', 'STATION')),
        province text NOT NULL,
        city text NOT NULL,
        district text,
        created_at timestamptz NOT NULL
      );
      -- One central warehouse; every service station keeps its own ledger (R-IN-1).
      CREATE UNIQUE INDEX warehouse_one_central ON warehouse (kind) WHERE kind = 'CENTRAL';

      CREATE TABLE stock_document (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        warehouse_code text NOT NULL REFERENCES warehouse(code),
        to_warehouse_code text REFERENCES warehouse(code),
        lines jsonb NOT NULL,
        posted_by text NOT NULL,
        posted_at timestamptz NOT NULL,
        reference text,
        reason text
      );
      CREATE INDEX stock_document_reference_idx ON stock_document (reference);

      -- The append-only ledger (R-IN-2): one signed row per (document, warehouse, part).
      CREATE TABLE stock_move (
        id bigserial PRIMARY KEY,
        document_id uuid NOT NULL REFERENCES stock_document(id) DEFERRABLE INITIALLY DEFERRED,
        warehouse_code text NOT NULL REFERENCES warehouse(code),
        part_code text NOT NULL REFERENCES part(code),
        quantity integer NOT NULL CHECK (quantity <> 0),
        posted_at timestamptz NOT NULL
      );
      CREATE INDEX stock_move_level_idx ON stock_move (warehouse_code, part_code);
      CREATE FUNCTION stock_move_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'stock_move is append-only'; END $$;
      CREATE TRIGGER stock_move_append_only BEFORE UPDATE OR DELETE ON stock_move
        FOR EACH ROW EXECUTE FUNCTION stock_move_append_only();

      -- On-hand never goes negative, whatever the code does (the last line of defence).
      CREATE TABLE stock_level (
        warehouse_code text NOT NULL REFERENCES warehouse(code),
        part_code text NOT NULL REFERENCES part(code),
        on_hand integer NOT NULL CHECK (on_hand >= 0),
        PRIMARY KEY (warehouse_code, part_code)
      );
    `);
  }
}
