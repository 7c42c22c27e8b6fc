import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { join } from 'node:path';
import { dropDatabase, withDatabase } from '@aftercare/kit';
import { signDevToken } from '@aftercare/gateway';
import { healthV1 } from '@aftercare/proto';
import {
  TEST_NATS_URL,
  TEST_PG_URL,
  accepts,
  deleteStreams,
  eventually,
  testGrpcClient,
} from '@aftercare/testkit';

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

/** Under AFTERCARE_REPLICAS, replica i listens on each of its service's ports plus 10·(i+1). */
const replicaPort = (port: number, i: number) => port + 10 * (i + 1);

/**
 * An offset at which none of the system's ports is taken (nor its replicas' when `replicas` > 1).
 * From 10,900 every gRPC port lies above Linux's range for outgoing connections (up to 60999), so
 * no client socket can take one meanwhile.
 */
async function freeOffset(replicas = 1): Promise<number> {
  const ports = [...DEFAULT_PORTS];
  if (replicas > 1)
    for (let i = 0; i < replicas; i++) ports.push(...DEFAULT_PORTS.map((p) => replicaPort(p, i)));
  for (;;) {
    const offset = 10_900 + Math.floor(Math.random() * 4_000);
    const taken = await Promise.all(ports.map((p) => accepts(p + offset)));
    if (!taken.some(Boolean)) return offset;
  }
}

/** Starts a system and resolves with its `Aftercare is up` output; throws with its output if it exits. */
async function upOrFail(system: Launcher): Promise<string> {
  const up = await Promise.race([
    eventually(
      async () => system.output(),
      (o) => o.includes('Aftercare is up'),
      150_000,
    ),
    system.exited.then((code) => `exited ${code}: ${system.output()}`),
  ]);
  if (!up.includes('Aftercare is up')) throw new Error(`npm start did not come up: ${up}`);
  return up;
}

async function removeSystem(system: Launcher | undefined, pids: number[], prefix: string) {
  if (system?.child.exitCode === null) system.child.kill('SIGKILL');
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const s of SERVICES)
    await dropDatabase(withDatabase(TEST_PG_URL, `${prefix}aftercare_${s}`)).catch(() => undefined);
  await deleteStreams(prefix.replace(/_+$/, ''));
}

/** GET on a connection of its own (as a new client would open one); resolves with the status. */
const statusOnNewConnection = (url: string) =>
  new Promise<number>((resolve) => {
    get(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).once('error', () => resolve(0));
  });

/** How many requests a process's HTTP listeners served on `route`, from its admin /metrics. */
async function served(adminPort: number, route: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
  return text
    .split('\n')
    .filter(
      (l) =>
        l.startsWith('http_server_request_duration_seconds_count{') &&
        l.includes(`http_route="${route}"`),
    )
    .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
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
  Object.fromEntries([...line.matchAll(/([\w-]+) pid (\d+)/g)].map((m) => [m[1]!, Number(m[2])]));

describe('npm start (scripts/start.js)', () => {
  it('refuses a malformed port offset at once, before it starts anything', async () => {
    const started = launch({ AFTERCARE_PORT_OFFSET: '12ab' });
    expect(await started.exited).toBe(1);
    expect(started.output()).toContain('AFTERCARE_PORT_OFFSET must be an integer from 0 to 15000');
  });

  it('refuses a malformed replica count at once, before it starts anything', async () => {
    const started = launch({ AFTERCARE_REPLICAS: '0' });
    expect(await started.exited).toBe(1);
    expect(started.output()).toContain('AFTERCARE_REPLICAS must be an integer from 1 to 9');
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
      const up = await upOrFail(system);
      pids.push(...Object.values(pidsIn(/processes: (.*)/.exec(up)![1]!)));
    }, 180_000);

    afterAll(() => removeSystem(system, pids, prefix), 60_000);

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

  // Issue 12 part 3: as an operator scales Deployments, two processes of everything, each reached
  // through a round-robin proxy on the usual port.
  describe('two replicas of every process (AFTERCARE_REPLICAS=2)', () => {
    const prefix = `rep${randomBytes(3).toString('hex')}_`;
    let offset: number;
    let system: Launcher;
    let listed: Record<string, number>;
    const on = (port: number) => port + offset;

    beforeAll(async () => {
      offset = await freeOffset(2);
      system = launch({
        PG_URL: TEST_PG_URL,
        NATS_URL: TEST_NATS_URL,
        AFTERCARE_PORT_OFFSET: String(offset),
        AFTERCARE_DATABASE_PREFIX: prefix,
        AFTERCARE_REPLICAS: '2',
        JWT_SECRET: SECRET,
      });
      listed = pidsIn(/processes: (.*)/.exec(await upOrFail(system))![1]!);
    }, 180_000);

    afterAll(() => removeSystem(system, Object.values(listed ?? {}), prefix), 60_000);

    it('runs two processes of every service and of the gateway, each ready on ports of its own', async () => {
      const names = [...SERVICES, 'gateway'].flatMap((s) => [`${s}-0`, `${s}-1`]);
      expect(Object.keys(listed).sort()).toEqual([...names, 'proxies'].sort());
      for (const name of names) expect([name, alive(listed[name]!)]).toEqual([name, true]);
      for (const i of [0, 1]) {
        for (const s of SERVICES)
          expect([
            s,
            i,
            await status(`http://127.0.0.1:${on(replicaPort(HTTP_PORTS[s], i))}/readyz`),
          ]).toEqual([s, i, 200]);
        expect(await status(`http://127.0.0.1:${on(replicaPort(4000, i))}/readyz`)).toBe(200);
      }
    });

    it('spreads new connections on the usual HTTP ports over both replicas', async () => {
      const processes = [
        ...SERVICES.map((s) => ({
          name: s,
          http: HTTP_PORTS[s],
          admin: HTTP_PORTS[s] - 4000 + 9300,
        })),
        { name: 'gateway', http: 4000, admin: 9400 },
      ];
      for (const p of processes) {
        const admins = [0, 1].map((i) => on(replicaPort(p.admin, i)));
        const before = await Promise.all(admins.map((a) => served(a, '/readyz')));
        for (let n = 0; n < 4; n++)
          expect(await statusOnNewConnection(`http://127.0.0.1:${on(p.http)}/readyz`)).toBe(200);
        const after = await Promise.all(admins.map((a) => served(a, '/readyz')));
        // Round-robin per connection: each replica got two of the four.
        expect([p.name, after[0]! - before[0]!, after[1]! - before[1]!]).toEqual([p.name, 2, 2]);
      }
    });

    it('serves gRPC and GraphQL through the proxies, the gateway reaching its subgraphs', async () => {
      for (const port of [50101, 50102]) {
        const health = testGrpcClient(healthV1.HealthClient, `127.0.0.1:${on(port)}`);
        try {
          expect(await health.check({ service: '' }, { identity: null })).toEqual({
            status: healthV1.HealthCheckResponse_ServingStatus.SERVING,
          });
        } finally {
          health.close();
        }
      }
      const token = signDevToken({ sub: 'replica-test', roles: ['agent'], secret: SECRET });
      const answer = await fetch(`http://127.0.0.1:${on(4000)}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ customers(first: 1) { totalCount } }' }),
      }).then((r) => r.json());
      expect(answer).toEqual({ data: { customers: { totalCount: 0 } } });
    });

    it('stops every replica cleanly on Ctrl-C (SIGINT) and frees the proxied ports', async () => {
      system.child.kill('SIGINT');
      expect(await system.exited).toBe(0);
      for (const [name, pid] of Object.entries(listed))
        expect([name, alive(pid)]).toEqual([name, false]);
      expect(await accepts(on(4000))).toBe(false);
      expect(await accepts(on(HTTP_PORTS.customer))).toBe(false);
    }, 60_000);
  });
});
