import { Migration } from '@mikro-orm/migrations';

/** R-CU-4 loans of customers' paper files and the audit trail of each loan's steps. */
export class ArchiveLoansMigration extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE archive_loan (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customer (id),
        status text NOT NULL
          CHECK (status IN ('REQUESTED','APPROVED','REJECTED','LENT','RETURNED','CANCELLED')),
        requested_by text NOT NULL,
        purpose text NOT NULL,
        requested_at timestamptz NOT NULL,
        due_on date NOT NULL,
        due_at timestamptz NOT NULL,
        decided_by text,
        decided_at timestamptz,
        lent_by text,
        lent_at timestamptz,
        returned_at timestamptz,
        return_received_by text,
        return_condition text CHECK (return_condition IN ('INTACT','DAMAGED','INCOMPLETE')),
        return_notes text,
        overdue_reported_at timestamptz,
        version integer NOT NULL
      );
      -- One open loan per file: a second request while one is asked for, promised or out fails here
      -- even when two arrive at once.
      CREATE UNIQUE INDEX archive_loan_open_uq ON archive_loan (customer_id)
        WHERE status IN ('REQUESTED','APPROVED','LENT');
      CREATE INDEX archive_loan_customer_idx ON archive_loan (customer_id, id);
      CREATE INDEX archive_loan_borrower_idx ON archive_loan (requested_by, id);
      CREATE INDEX archive_loan_status_idx ON archive_loan (status, id);
      -- The scheduler's scan: files out, past due, not reported yet.
      CREATE INDEX archive_loan_overdue_idx ON archive_loan (due_at)
        WHERE status = 'LENT' AND overdue_reported_at IS NULL;
      CREATE TABLE archive_loan_step (
        id uuid PRIMARY KEY,
        loan_id uuid NOT NULL REFERENCES archive_loan (id) DEFERRABLE INITIALLY DEFERRED,
        step text NOT NULL,
        by_user text,
        at timestamptz NOT NULL,
        note text
      );
      CREATE INDEX archive_loan_step_loan_idx ON archive_loan_step (loan_id, id);
    `);
  }
}
