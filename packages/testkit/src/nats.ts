import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect as tcpConnect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestNatsServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s); its JetStream store is kept for `start()`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and store directory, so streams and consumers survive. */
  start(): Promise<void>;
  /** Final stop: also deletes the store directory. */
  dispose(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 10_000;

/**
 * A private nats-server (binary on PATH) with JetStream on a free loopback port, for tests that
 * take NATS down and bring it back. Tests that only need NATS use the shared one (`TEST_NATS_URL`).
 */
export async function startNatsServer(): Promise<TestNatsServer> {
  const port = await freePort();
  const storeDir = await mkdtemp(join(tmpdir(), 'aftercare-nats-'));
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const start = async () => {
    if (child) return;
    child = await launch(port, storeDir);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (running) await terminate(running);
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    start,
    stop,
    async dispose() {
      await stop();
      process.removeListener('exit', killOnExit);
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}

async function launch(port: number, storeDir: string): Promise<ChildProcess> {
  const child = spawn(
    'nats-server',
    ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
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

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
