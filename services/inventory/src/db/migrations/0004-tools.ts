import { Migration } from '@mikro-orm/migrations';

export class ToolsMigration extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE tool (
        code text PRIMARY KEY,
        name text NOT NULL,
        special boolean NOT NULL DEFAULT false,
        condition text NOT NULL CHECK (condition IN ('GOOD', 'WORN', 'DAMAGED', 'LOST')),
        original_price_fen bigint NOT NULL CHECK (original_price_fen >= 0),
        count integer NOT NULL CHECK (count >= 0)
      );
      CREATE TABLE tool_loan (
        id uuid PRIMARY KEY,
        tool_code text NOT NULL REFERENCES tool(code),
        special boolean NOT NULL,
        count integer NOT NULL CHECK (count > 0),
        borrower_id text NOT NULL,
        signature_ref text NOT NULL,
        keeper_id text NOT NULL,
        lent_at timestamptz NOT NULL,
        condition_at_lend text NOT NULL,
        returned_at timestamptz,
        returned_count integer,
        condition_at_return text,
        return_keeper_id text,
        -- Set once by the overdue scan, in the same transaction as its event: one event per loan.
        overdue_notified_at timestamptz
      );
      CREATE INDEX tool_loan_open_idx ON tool_loan (tool_code) WHERE returned_at IS NULL;
    `);
  }
}
