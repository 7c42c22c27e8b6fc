import { ConfigError, loadServiceConfig as loadConfig, serviceEnv } from '../src/config';
import { generateKeyPairJwk } from '../src/internal-auth';

const schema = serviceEnv('customer', { httpPort: 4101, grpcPort: 50101, adminPort: 9401 });

describe('service configuration from the environment', () => {
  it('has working defaults for one machine', () => {
    const c = loadConfig(schema, {});
    expect(c).toMatchObject({
      SERVICE_NAME: 'customer',
      HTTP_PORT: 4101,
      GRPC_PORT: 50101,
      ADMIN_HOST: '127.0.0.1',
      ADMIN_PORT: 9401,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/aftercare_customer',
      NATS_URL: 'nats://127.0.0.1:4222',
      EVENT_SUBJECT_PREFIX: 'aftercare',
      MIGRATE_ON_START: true,
    });
    expect(c.calendar.timeZone).toBe('Asia/Shanghai');
  });

  it("issue 17 the consumers' delivery settings: the defaults of before, bounded", () => {
    expect(loadConfig(schema, {})).toMatchObject({
      EVENT_MAX_DELIVER: 10,
      EVENT_ACK_WAIT_MS: 30_000,
      EVENT_REDELIVERY_DELAY_MS: 1000,
      EVENT_MAX_REDELIVERY_DELAY_MS: 60_000,
    });
    expect(() => loadConfig(schema, { EVENT_MAX_DELIVER: '0' })).toThrow(/EVENT_MAX_DELIVER/);
    expect(() => loadConfig(schema, { EVENT_ACK_WAIT_MS: '10' })).toThrow(/EVENT_ACK_WAIT_MS/);
  });

  it('DATABASE_URL wins over PG_URL + DATABASE_NAME; empty variables count as unset', () => {
    expect(
      loadConfig(schema, { PG_URL: 'postgres://u@db:5432/postgres', DATABASE_NAME: 'x1' })
        .databaseUrl,
    ).toBe('postgres://u@db:5432/x1');
    expect(
      loadConfig(schema, {
        DATABASE_URL: 'postgres://u@db/y',
        PG_URL: 'postgres://u@db:5432/postgres',
      }).databaseUrl,
    ).toBe('postgres://u@db/y');
    expect(loadConfig(schema, { HTTP_PORT: '' }).HTTP_PORT).toBe(4101);
  });

  it('names every bad variable in one clear error, with the value given', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig(schema, {
        HTTP_PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        NATS_URL: 'localhost:4222',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toHaveLength(4);
    expect(error!.message).toContain('HTTP_PORT');
    expect(error!.message).toContain('(got "eighty")');
    expect(error!.message).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(error!.message).toContain('NATS_URL');
    expect(error!.message).toContain('LOG_LEVEL');
  });

  it('validates the business calendar settings and names the variable at fault', () => {
    expect(() => loadConfig(schema, { BUSINESS_HOURS: '17:30-08:30' })).toThrow(/BUSINESS_HOURS/);
    expect(() => loadConfig(schema, { BUSINESS_TZ: 'Mars/Olympus' })).toThrow(/BUSINESS_TZ/);
    const c = loadConfig(schema, { BUSINESS_TZ: 'Europe/Berlin', BUSINESS_HOLIDAYS: '2026-12-25' });
    expect(c.calendar.isWorkingDay('2026-12-25')).toBe(false);
  });

  it('ADR 0010 parses the internal keys, refuses malformed ones without echoing them', () => {
    const { privateJwk, publicJwk } = generateKeyPairJwk();
    const config = loadConfig(schema, {
      INTERNAL_AUTH_PRIVATE_KEY: JSON.stringify(privateJwk),
      INTERNAL_AUTH_TRUSTED_KEYS: JSON.stringify({ gateway: [publicJwk] }),
    });
    expect(config.INTERNAL_AUTH_PRIVATE_KEY?.kid).toBe(privateJwk.kid);
    expect([...(config.INTERNAL_AUTH_TRUSTED_KEYS?.get('gateway')?.keys() ?? [])]).toEqual([
      publicJwk.kid,
    ]);
    const bad = () =>
      loadConfig(schema, {
        INTERNAL_AUTH_PRIVATE_KEY: JSON.stringify({ ...privateJwk, d: 'short' }),
        INTERNAL_AUTH_TRUSTED_KEYS: '{"gateway": "not a list"}',
      });
    expect(bad).toThrow(/INTERNAL_AUTH_PRIVATE_KEY: is not a usable Ed25519 key/);
    expect(bad).toThrow(/INTERNAL_AUTH_TRUSTED_KEYS: must be a JSON object of signer name/);
    expect(bad).not.toThrow(/short/);
  });

  it('GRPC_TLS needs readable certificate, key and CA files, named when missing', () => {
    expect(() =>
      loadConfig(schema, { GRPC_TLS: 'true', GRPC_TLS_CERT_FILE: '/nonexistent.pem' }),
    ).toThrow(
      new ConfigError([
        'GRPC_TLS_CERT_FILE: cannot read /nonexistent.pem (ENOENT)',
        'GRPC_TLS_KEY_FILE: is required when GRPC_TLS is on',
        'GRPC_TLS_CA_FILE: is required when GRPC_TLS is on',
      ]),
    );
    expect(loadConfig(schema, {}).grpcTls).toBeUndefined();
  });
});
