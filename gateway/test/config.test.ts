import { ConfigError, generateKeyPairJwk } from '@aftercare/kit';
import { loadGatewayConfig } from '../src/config';
import { SUPERGRAPH_FILE } from '../src/subgraphs';
import { SECRET } from './fixtures';

const { privateJwk } = generateKeyPairJwk();
const KEY = JSON.stringify(privateJwk);

describe('loadGatewayConfig', () => {
  it('applies the defaults', () => {
    expect(loadGatewayConfig({ JWT_SECRET: SECRET, INTERNAL_AUTH_PRIVATE_KEY: KEY })).toEqual({
      logLevel: 'info',
      host: '127.0.0.1',
      port: 4000,
      jwt: { secret: SECRET, issuer: undefined, audience: undefined },
      allowIntrospection: false,
      maxQueryDepth: 10,
      maxQueryCost: 1000,
      supergraphPath: SUPERGRAPH_FILE,
      subgraphUrls: {},
      shutdownTimeoutMs: 10_000,
      signingKey: { kid: privateJwk.kid, key: expect.anything() },
    });
  });

  it('ADR 0010 needs its signing key, and never echoes a bad one', () => {
    expect(() => loadGatewayConfig({ JWT_SECRET: SECRET })).toThrow(
      /INTERNAL_AUTH_PRIVATE_KEY: is required/,
    );
    const leaked = JSON.stringify({ ...privateJwk, crv: 'X25519' });
    let message = '';
    try {
      loadGatewayConfig({ JWT_SECRET: SECRET, INTERNAL_AUTH_PRIVATE_KEY: leaked });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/INTERNAL_AUTH_PRIVATE_KEY: must be an Ed25519 private key/);
    expect(message).not.toContain(String(privateJwk.d));
  });

  it('reads overrides, including subgraph URLs by name', () => {
    const config = loadGatewayConfig({
      JWT_SECRET: SECRET,
      INTERNAL_AUTH_PRIVATE_KEY: KEY,
      JWT_ISSUER: 'aftercare',
      ALLOW_INTROSPECTION: 'true',
      MAX_QUERY_DEPTH: '7',
      CUSTOMER_SUBGRAPH_URL: 'http://customer:4101/graphql',
      SURVEY_SUBGRAPH_URL: '',
    });
    expect(config).toMatchObject({
      allowIntrospection: true,
      maxQueryDepth: 7,
      jwt: { issuer: 'aftercare' },
    });
    expect(config.subgraphUrls).toEqual({ customer: 'http://customer:4101/graphql' });
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadGatewayConfig({
        JWT_SECRET: 'too-short',
        MAX_QUERY_DEPTH: 'deep',
        WORKORDER_SUBGRAPH_URL: 'not a url',
        ALLOW_INTROSPECTION: 'yes',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/JWT_SECRET: must be at least 32 characters/);
    expect(message).toMatch(/MAX_QUERY_DEPTH: /);
    expect(message).toMatch(/WORKORDER_SUBGRAPH_URL: /);
    expect(message).toMatch(/ALLOW_INTROSPECTION: /);
    expect(() => loadGatewayConfig({})).toThrow(/JWT_SECRET/);
  });
});
