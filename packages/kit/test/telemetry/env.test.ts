import { ConfigError } from '../../src/config';
import { serviceNameFromEnv } from '../../src/telemetry';

describe('serviceNameFromEnv', () => {
  it('prefers OTEL_SERVICE_NAME, then SERVICE_NAME', () => {
    expect(serviceNameFromEnv({ OTEL_SERVICE_NAME: 'otel', SERVICE_NAME: 'ours' })).toBe('otel');
    expect(serviceNameFromEnv({ OTEL_SERVICE_NAME: ' ', SERVICE_NAME: 'ours' })).toBe('ours');
  });

  it('refuses to start unnamed, naming the variable to set', () => {
    expect(() => serviceNameFromEnv({})).toThrow(ConfigError);
    expect(() => serviceNameFromEnv({})).toThrow(/OTEL_SERVICE_NAME/);
  });
});
