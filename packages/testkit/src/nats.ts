import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accepts, freePort } from './ports';

export interface TestNatsServer {
  url: string;
  port: number;
  /**
   * Stops the server (SIGTERM, then SIGKILL after 5 s; `SIGKILL` at once: a crash); its JetStream
   * store is kept for `start()`.
   */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same port and store directory, so streams and consumers survive. */
  start(): Promise<void>;
  /** Final stop: also deletes the store directory when it was a temporary one. */
  dispose(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 10_000;

export interface NatsServerOptions {
  /** A fixed port (default: a free one). */
  port?: number;
  /** A JetStream store to keep (default: a temporary one, deleted by `dispose()`). */
  storeDir?: string;
  /**
   * In its own process group, so a Ctrl-C in the terminal does not reach it: `npm start` stops it
   * itself, after the services have flushed their outboxes to it.
   */
  detached?: boolean;
}

/**
 * A private nats-server (binary on PATH) with JetStream on a free loopback port, for tests that
 * take NATS down and bring it back. Tests that only need NATS use the shared one (`TEST_NATS_URL`);
 * where no NATS runs, the test run's shared one is also started here (ADR 0023), as is
 * `npm start`'s.
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<TestNatsServer> {
  const port = options.port ?? (await freePort());
  const keepStore = options.storeDir !== undefined;
  const storeDir = options.storeDir ?? (await mkdtemp(join(tmpdir(), 'aftercare-nats-')));
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const start = async () => {
    if (child) return;
    child = await launch(port, storeDir, options.detached ?? false);
  };
  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    const running = child;
    child = undefined;
    if (running) await terminate(running, signal);
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    start,
    stop,
    async dispose() {
      await stop('SIGTERM');
      process.removeListener('exit', killOnExit);
      if (!keepStore) await rm(storeDir, { recursive: true, force: true });
    },
  };
}

async function launch(port: number, storeDir: string, detached: boolean): Promise<ChildProcess> {
  const child = spawn(
    'nats-server',
    ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached,
    },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (e) =>
      resolve(new Error(`nats-server could not be started (is it on PATH?): ${e.message}`)),
    );
    child.once('exit', (code) =>
      resolve(new Error(`nats-server exited with code ${code} during start-up:\n${output}`)),
    );
  });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    const outcome = await Promise.race([accepts(port).then((ok) => ok), exited]);
    if (outcome instanceof Error) throw outcome;
    // Accepting connections is not enough: JetStream must have finished recovering its store.
    if (outcome && output.includes('Server is ready')) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `nats-server did not become ready on port ${port} within ${STARTUP_TIMEOUT_MS} ms:\n${output}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function terminate(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
