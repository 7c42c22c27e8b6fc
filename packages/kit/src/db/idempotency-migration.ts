import { Migration } from '@mikro-orm/migrations';

/**
 * Idempotency keys of creates (ADR 0013), in every service's own database. The primary key is the
 * scope of a key — one operation of one caller — and is what makes a concurrent repeat wait for
 * the first call instead of creating twice.
 */
export class KitIdempotencyMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table idempotency_key (
        operation text not null,
        user_id text not null,
        key text not null,
        request_hash text not null,
        result_id text null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        primary key (operation, user_id, key)
      )`);
    this.addSql('create index idempotency_key_expires_at_idx on idempotency_key (expires_at)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists idempotency_key');
  }
}
