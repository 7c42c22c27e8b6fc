import { Migration } from '@mikro-orm/migrations';

/**
 * R-CO-3: when a complaint became major, so a complaint judged high impact days after receipt gets
 * its own 24 h to be escalated. Complaints already major count from receipt, as before.
 */
export class MajorSinceMigration extends Migration {
  override up(): void {
    this.addSql(`
      ALTER TABLE complaint ADD COLUMN major_since timestamptz;
      UPDATE complaint SET major_since = received_at WHERE major_reasons <> '[]'::jsonb;
    `);
  }
}
