import {
  DEFAULT_LOCAL_NATS,
  DEFAULT_LOCAL_PG,
  type HostPort,
  type Probes,
  type ServerWishes,
} from './choice';

/**
 * The wishes of a test run (TEST_PG_URL, else PG_URL; TEST_NATS_URL, else NATS_URL) or of
 * `npm start` (PG_URL, NATS_URL). PROBE_LOCAL_PG / PROBE_LOCAL_NATS (host:port) move only where
 * the "already running" probe looks, never a configured address: the test of the embedded branch
 * points them at a closed port to act out a machine without servers.
 */
export function wishesFromEnv(env: NodeJS.ProcessEnv, purpose: 'tests' | 'start'): ServerWishes {
  const given = (...names: string[]) =>
    names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
  const tests = purpose === 'tests';
  return {
    pgUrl: tests ? given('TEST_PG_URL', 'PG_URL') : given('PG_URL'),
    natsUrl: tests ? given('TEST_NATS_URL', 'NATS_URL') : given('NATS_URL'),
    localPg: hostPort(env.PROBE_LOCAL_PG, DEFAULT_LOCAL_PG, 'PROBE_LOCAL_PG'),
    localNats: hostPort(env.PROBE_LOCAL_NATS, DEFAULT_LOCAL_NATS, 'PROBE_LOCAL_NATS'),
  };
}

/** PROBE_DOCKER=off acts out a machine without a Docker engine (the embedded branch's test). */
export function probesFromEnv(env: NodeJS.ProcessEnv, probes: Probes): Probes {
  if (env.PROBE_DOCKER === undefined || env.PROBE_DOCKER === '') return probes;
  if (env.PROBE_DOCKER !== 'off')
    throw new Error(`PROBE_DOCKER must be "off" or unset, not "${env.PROBE_DOCKER}"`);
  return { ...probes, dockerEngine: async () => false };
}

function hostPort(value: string | undefined, fallback: HostPort, name: string): HostPort {
  if (value === undefined || value === '') return fallback;
  const match = /^(.+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (!match?.[1] || port < 1 || port > 65535)
    throw new Error(`${name} must be host:port (like 127.0.0.1:5432), not "${value}"`);
  return { host: match[1], port };
}
