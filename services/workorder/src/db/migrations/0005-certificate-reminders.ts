import { Migration } from '@mikro-orm/migrations';

/**
 * R-WO-10 certificate reminders: one row per certificate and expiry date reminded, so a reminder
 * is sent once however many scheduler replicas scan, and again after a renewal moves the date.
 */
export class CertificateRemindersMigration extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE certificate_reminder (
        staff_id text NOT NULL REFERENCES staff(id),
        certificate_code text NOT NULL,
        expires_on date NOT NULL,
        reminded_at timestamptz NOT NULL,
        PRIMARY KEY (staff_id, certificate_code, expires_on)
      );
    `);
  }
}
