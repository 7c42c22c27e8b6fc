import { Migration } from '@mikro-orm/migrations';

/**
 * Outbox and inbox tables. Every service lists it first:
 * `migrations: [{ name: '0000_kit_events', class: KitEventsMigration }, ...]`.
 */
export class KitEventsMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table outbox (
        id uuid primary key,
        subject text not null,
        type text not null,
        aggregate_id text not null,
        payload jsonb not null,
        headers jsonb not null,
        created_at timestamptz not null default now(),
        published_at timestamptz null,
        attempts integer not null default 0,
        last_error text null
      )`);
    // The relay only ever scans unpublished rows; the index stays as small as the backlog.
    this.addSql('create index outbox_unpublished_idx on outbox (id) where published_at is null');
    // For purging old published rows without a full scan.
    this.addSql(
      'create index outbox_published_at_idx on outbox (published_at) where published_at is not null',
    );
    this.addSql(`
      create table inbox (
        consumer text not null,
        event_id uuid not null,
        received_at timestamptz not null default now(),
        primary key (consumer, event_id)
      )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists inbox');
    this.addSql('drop table if exists outbox');
  }
}
