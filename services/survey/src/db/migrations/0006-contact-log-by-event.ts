import { Migration } from '@mikro-orm/migrations';

/**
 * Follow-up calls reach the customer's contact log through their `survey.follow_up_called` event
 * (the customer service consumes it), no longer through a retried gRPC call: the mark of a call
 * logged and the index the retries scanned go. A call still unmarked here is in the stream, and
 * the customer service logs it from there (once: it skips a call already in the log).
 */
export class ContactLogByEventMigration extends Migration {
  override up(): void {
    this.addSql(`
      DROP INDEX IF EXISTS follow_up_call_unlogged_idx;
      ALTER TABLE follow_up_call DROP COLUMN contact_logged_at;
    `);
  }
}
