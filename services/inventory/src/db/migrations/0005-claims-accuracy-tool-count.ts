import { Migration } from '@mikro-orm/migrations';

export class ClaimsAccuracyToolCountMigration extends Migration {
  override up(): void {
    this.addSql(`
      -- R-IN-4 claim orders (索赔订货) with the customer's deposit; money in fen.
      CREATE TABLE claim_order (
        id uuid PRIMARY KEY,
        work_order_id uuid,
        customer_id text NOT NULL,
        lines jsonb NOT NULL,
        value_fen bigint NOT NULL CHECK (value_fen >= 0),
        deposit_fen bigint NOT NULL CHECK (deposit_fen >= 0 AND deposit_fen <= value_fen),
        deposit_paid_fen bigint NOT NULL DEFAULT 0
          CHECK (deposit_paid_fen >= 0 AND deposit_paid_fen <= deposit_fen),
        deposit_refunded_fen bigint NOT NULL DEFAULT 0 CHECK (deposit_refunded_fen >= 0),
        deposit_forfeited_fen bigint NOT NULL DEFAULT 0 CHECK (deposit_forfeited_fen >= 0),
        note text,
        status text NOT NULL
          CHECK (status IN ('OPEN', 'ORDERED', 'SETTLED', 'FORFEITED', 'CANCELLED')),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        ordered_by text,
        ordered_at timestamptz,
        closed_by text,
        closed_at timestamptz,
        close_reason text,
        version integer NOT NULL DEFAULT 1,
        CHECK (deposit_refunded_fen + deposit_forfeited_fen <= deposit_paid_fen)
      );
      CREATE INDEX claim_order_status_idx ON claim_order (status);
      CREATE INDEX claim_order_work_order_idx ON claim_order (work_order_id);

      -- Every deposit payment, so the deposit paid can be traced to who took the money and when.
      CREATE TABLE claim_deposit_payment (
        id uuid PRIMARY KEY,
        claim_order_id uuid NOT NULL REFERENCES claim_order(id),
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        received_by text NOT NULL,
        received_at timestamptz NOT NULL
      );
      CREATE INDEX claim_deposit_payment_order_idx ON claim_deposit_payment (claim_order_id);

      -- R-IN-5 wrong-part corrections against the ISSUE document they happened on.
      CREATE TABLE wrong_part_correction (
        id uuid PRIMARY KEY,
        issue_id uuid NOT NULL REFERENCES stock_document(id),
        warehouse_code text NOT NULL REFERENCES warehouse(code),
        issued_at timestamptz NOT NULL,
        wrong_part_code text NOT NULL,
        right_part_code text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        corrected_by text NOT NULL,
        corrected_at timestamptz NOT NULL,
        note text,
        -- One mistake is recorded once.
        UNIQUE (issue_id, wrong_part_code)
      );
      CREATE INDEX wrong_part_correction_issued_idx ON wrong_part_correction (warehouse_code, issued_at);
      CREATE INDEX stock_document_issue_idx ON stock_document (warehouse_code, posted_at) WHERE type = 'ISSUE';

      -- R-IN-6 the monthly count of every tool: one per business month.
      CREATE TABLE tool_count (
        id uuid PRIMARY KEY,
        month text NOT NULL UNIQUE CHECK (month ~ '^[0-9]{4}-[0-9]{2}$'),
        counted_by text NOT NULL,
        counted_at timestamptz NOT NULL,
        lines jsonb NOT NULL,
        discrepancies integer NOT NULL CHECK (discrepancies >= 0)
      );
    `);
  }
}
