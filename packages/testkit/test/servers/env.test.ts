import { DEFAULT_LOCAL_NATS, DEFAULT_LOCAL_PG, type Probes } from '../../src/servers/choice';
import { probesFromEnv, wishesFromEnv } from '../../src/servers/env';

describe('server wishes from the environment', () => {
  it('tests prefer TEST_PG_URL / TEST_NATS_URL over PG_URL / NATS_URL', () => {
    const env = {
      TEST_PG_URL: 'postgres://t/x',
      PG_URL: 'postgres://p/x',
      TEST_NATS_URL: 'nats://t:4222',
      NATS_URL: 'nats://n:4222',
    };
    expect(wishesFromEnv(env, 'tests')).toMatchObject({
      pgUrl: 'postgres://t/x',
      natsUrl: 'nats://t:4222',
    });
    expect(wishesFromEnv({ PG_URL: 'postgres://p/x' }, 'tests').pgUrl).toBe('postgres://p/x');
  });

  it('npm start reads only PG_URL / NATS_URL; empty values count as unset', () => {
    expect(wishesFromEnv({ TEST_PG_URL: 'postgres://t/x', NATS_URL: '' }, 'start')).toEqual({
      pgUrl: undefined,
      natsUrl: undefined,
      localPg: DEFAULT_LOCAL_PG,
      localNats: DEFAULT_LOCAL_NATS,
    });
  });

  it('PROBE_LOCAL_PG / PROBE_LOCAL_NATS move only the probe', () => {
    const w = wishesFromEnv(
      { PROBE_LOCAL_PG: '127.0.0.1:1', PROBE_LOCAL_NATS: 'localhost:2', PG_URL: 'postgres://p/x' },
      'start',
    );
    expect(w).toEqual({
      pgUrl: 'postgres://p/x',
      natsUrl: undefined,
      localPg: { host: '127.0.0.1', port: 1 },
      localNats: { host: 'localhost', port: 2 },
    });
  });

  it('refuses a probe address that is not host:port', () => {
    for (const bad of ['5432', '127.0.0.1:', ':5432', '127.0.0.1:70000', '127.0.0.1:0'])
      expect(() => wishesFromEnv({ PROBE_LOCAL_PG: bad }, 'tests')).toThrow(
        /PROBE_LOCAL_PG must be host:port/,
      );
  });

  it('PROBE_DOCKER=off acts out a machine without a Docker engine', async () => {
    const probes: Probes = {
      answers: async () => true,
      dockerEngine: async () => true,
      embeddedPostgres: async () => true,
      natsServerOnPath: async () => true,
    };
    expect(probesFromEnv({}, probes)).toBe(probes);
    await expect(probesFromEnv({ PROBE_DOCKER: 'off' }, probes).dockerEngine()).resolves.toBe(
      false,
    );
    expect(() => probesFromEnv({ PROBE_DOCKER: 'no' }, probes)).toThrow(/PROBE_DOCKER/);
  });
});
