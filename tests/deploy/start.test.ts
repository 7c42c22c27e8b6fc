import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { dropDatabase, withDatabase } from '@aftercare/kit';
import { signDevToken } from '@aftercare/gateway';
import { TEST_NATS_URL, TEST_PG_URL, accepts, deleteStreams, eventually } from '@aftercare/testkit';

// Issue 17 point 6: `npm start` supervises. The launcher itself (scripts/start.js, from the built
// tree as `npm start` runs it) beside any other system on this machine: every port shifted by
// AFTERCARE_PORT_OFFSET, every database and event stream named after AFTERCARE_DATABASE_PREFIX.
const ROOT = join(__dirname, '..', '..');
const SERVICES = ['customer', 'workorder', 'inventory', 'complaint', 'survey'] as const;
const HTTP_PORTS = {
  customer: 4101,
  workorder: 4102,
  inventory: 4103,
  complaint: 4104,
  survey: 4105,
};
const DEFAULT_PORTS = [
  4000,
  9400,
  ...Object.values(HTTP_PORTS),
  ...Object.values(HTTP_PORTS).map((p) => p - 4000 + 50000),
  ...Object.values(HTTP_PORTS).map((p) => p - 4000 + 9300),
];
const SECRET = randomBytes(32).toString('base64url');

interface Launcher {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(env: Record<string, string>): Launcher {
  const child = spawn(process.execPath, [join(ROOT, 'scripts/start.js')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output: () => output, exited };
}

/**
 * An offset at which none of the system's ports is taken. From 10,900 every gRPC port lies above
 * Linux's range for outgoing connections (up to 60999), so no client socket can take one meanwhile.
 */
async function freeOffset(): Promise<number> {
  for (;;) {
    const offset = 10_900 + Math.floor(Math.random() * 4_000);
    const taken = await Promise.all(DEFAULT_PORTS.map((p) => accepts(p + offset)));
    if (!taken.some(Boolean)) return offset;
  }
}

const status = (url: string) =>
  fetch(url).then(
    (r) => r.status,
    () => 0,
  );
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const pidsIn = (line: string) =>
  Object.fromEntries([...line.matchAll(/(\w+) pid (\d+)/g)].map((m) => [m[1]!, Number(m[2])]));

describe('npm start (scripts/start.js)', () => {
  it('refuses a malformed port offset at once, before it starts anything', async () => {
    const started = launch({ AFTERCARE_PORT_OFFSET: '12ab' });
    expect(await started.exited).toBe(1);
    expect(started.output()).toContain('AFTERCARE_PORT_OFFSET must be an integer from 0 to 15000');
  });

  it('refuses an offset that puts an HTTP port where fetch clients cannot reach it', async () => {
    // 4000 + 2000: the gateway on 6000, one of the Fetch standard's blocked ports.
    const started = launch({
      AFTERCARE_PORT_OFFSET: '2000',
      PG_URL: TEST_PG_URL,
      NATS_URL: TEST_NATS_URL,
    });
    expect(await started.exited).toBe(1);
    expect(started.output()).toContain(
      'AFTERCARE_PORT_OFFSET puts the gateway HTTP port on 6000, which fetch clients refuse to reach',
    );
  });

  describe('a running system', () => {
    const prefix = `sup${randomBytes(3).toString('hex')}_`;
    let offset: number;
    let system: Launcher;
    const pids: number[] = [];
    const url = (port: number, path: string) => `http://127.0.0.1:${port + offset}${path}`;

    beforeAll(async () => {
      offset = await freeOffset();
      system = launch({
        PG_URL: TEST_PG_URL,
        NATS_URL: TEST_NATS_URL,
        AFTERCARE_PORT_OFFSET: String(offset),
        AFTERCARE_DATABASE_PREFIX: prefix,
        JWT_SECRET: SECRET,
      });
      const up = await Promise.race([
        eventually(
          async () => system.output(),
          (o) => o.includes('Aftercare is up'),
          150_000,
        ),
        system.exited.then((code) => `exited ${code}: ${system.output()}`),
      ]);
      if (!up.includes('Aftercare is up')) throw new Error(`npm start did not come up: ${up}`);
      pids.push(...Object.values(pidsIn(/processes: (.*)/.exec(up)![1]!)));
    }, 180_000);

    afterAll(async () => {
      if (system?.child.exitCode === null) system.child.kill('SIGKILL');
      for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
      for (const s of SERVICES)
        await dropDatabase(withDatabase(TEST_PG_URL, `${prefix}aftercare_${s}`)).catch(
          () => undefined,
        );
      await deleteStreams(prefix.replace(/_+$/, ''));
    }, 60_000);

    it('runs every service and the gateway on ports shifted by the offset, on databases of its own', async () => {
      for (const s of SERVICES)
        expect([s, await status(url(HTTP_PORTS[s], '/readyz'))]).toEqual([s, 200]);
      expect(await status(url(4000, '/readyz'))).toBe(200);
      expect(await status(url(9400, '/metrics'))).toBe(200);
    });

    it('restarts a service that dies while the others keep serving', async () => {
      const before = pidsIn(/processes: (.*)/.exec(system.output())![1]!);
      process.kill(before.customer!, 'SIGKILL');
      // The rest of the system does not notice: no other process stops, the gateway stays ready.
      expect(await status(url(HTTP_PORTS.workorder, '/readyz'))).toBe(200);
      expect(await status(url(4000, '/readyz'))).toBe(200);
      const restarted = await eventually(
        async () => /customer restarted \(pid (\d+)\)/.exec(system.output()),
        (m) => m !== null,
        30_000,
      );
      expect(system.output()).toContain(
        'customer exited (SIGKILL); restarting it in 1 s, the others keep serving',
      );
      const newPid = Number(restarted![1]);
      pids.push(newPid);
      expect(newPid).not.toBe(before.customer);
      for (const [name, pid] of Object.entries(before))
        if (name !== 'customer') expect([name, alive(pid)]).toEqual([name, true]);
      expect(
        await eventually(
          () => status(url(HTTP_PORTS.customer, '/readyz')),
          (s) => s === 200,
          60_000,
        ),
      ).toBe(200);
      // The restarted customer answers through the gateway again.
      const token = signDevToken({ sub: 'supervision-test', roles: ['agent'], secret: SECRET });
      const answer = await eventually(
        () =>
          fetch(url(4000, '/graphql'), {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: '{ customers(first: 1) { totalCount } }' }),
          }).then((r) => r.json() as Promise<{ data?: { customers?: { totalCount: number } } }>),
        (a) => a.data?.customers?.totalCount === 0,
        30_000,
      );
      expect(answer).toEqual({ data: { customers: { totalCount: 0 } } });
    }, 120_000);

    it('stops every process cleanly on Ctrl-C (SIGINT)', async () => {
      system.child.kill('SIGINT');
      expect(await system.exited).toBe(0);
      for (const pid of pids) expect([pid, alive(pid)]).toEqual([pid, false]);
    }, 60_000);
  });
});
