import type { MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { createTestDatabase, type TestDatabase } from '@aftercare/testkit';
import { migrateUp, openOrm } from '../../src/db';
import { KitIdempotencyMigration } from '../../src/db/idempotency-migration';
import { KitEventsMigration, kitEventEntities } from '../../src/events';
import { awaitMigrations, type BaseServiceConfig } from '../../src/service';

// Issue 10 point 3: a Deployment's init container (`migrate.js --wait`) holds the new pods back
// until the release's migration Job has applied every migration their image knows.
class AddWidgets extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table widget (id int primary key)');
  }
}

// The kit's own migrations, as `startService` and the migration Job run them.
const kit = [
  { name: '0000_kit_events', class: KitEventsMigration },
  { name: '0000_kit_idempotency', class: KitIdempotencyMigration },
];
const widgets = { name: '0001_widgets', class: AddWidgets };
// A service's spec: its own migrations; the kit's outbox/inbox migration always comes first.
const specFor = (db: TestDatabase, migrations: MigrationObject[]) => ({
  config: { databaseUrl: db.url, DATABASE_POOL_MAX: 2 } as BaseServiceConfig,
  entities: [],
  migrations,
});

describe('awaiting the migrations of a release', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('await_migrations');
  });
  afterEach(async () => {
    await db.drop();
  });

  it('waits, naming what is pending, until the migration Job applies it; applies nothing itself', async () => {
    const lines: string[] = [];
    let done = false;
    const waiting = awaitMigrations(specFor(db, [widgets]), {
      pollMs: 50,
      log: (l) => lines.push(l),
    }).then(() => (done = true));
    // Opening the ORM takes a moment on a loaded machine: wait for the first word, not a fixed time.
    for (let i = 0; i < 200 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    expect(done).toBe(false);
    expect(lines).toEqual([
      'waiting for the migration Job to apply: 0000_kit_events, 0000_kit_idempotency, 0001_widgets',
    ]);

    const job = await openOrm({
      databaseUrl: db.url,
      entities: kitEventEntities,
      migrations: [...kit, widgets],
    });
    try {
      await migrateUp(job);
    } finally {
      await job.close();
    }
    await waiting;
    expect(done).toBe(true);
  });

  it('after a rollback, migrations only the newer release knows do not hold the older pods back', async () => {
    const newer = await openOrm({
      databaseUrl: db.url,
      entities: kitEventEntities,
      migrations: [...kit, widgets],
    });
    try {
      await migrateUp(newer);
    } finally {
      await newer.close();
    }
    const lines: string[] = [];
    await awaitMigrations(specFor(db, []), { pollMs: 50, log: (l) => lines.push(l) });
    expect(lines).toEqual([]);
  });
});
