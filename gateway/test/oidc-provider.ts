import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** A key pair for `alg` (RS256, ES256, EdDSA …), its public half as the provider would publish it. */
export async function providerKey(alg: string, kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    kid,
    alg,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
  };
}

/** A token signed by `key`, with `claims` as they are (no defaults added). */
export function signedBy(key: SigningKey, claims: JWTPayload, alg = key.alg): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg, kid: key.kid, typ: 'JWT' })
    .sign(key.privateKey);
}

/**
 * A stand-in OpenID Connect provider on loopback: a discovery document and a key set whose keys
 * the test changes (rotation) and which can fail (outage). Counts the key-set fetches.
 */
export interface LocalProvider {
  issuer: string;
  jwksUrl: string;
  keys: SigningKey[];
  /** While set, every request is answered with this HTTP status and no body. */
  failWith?: number;
  /** The issuer the discovery document names (default: the real one). */
  discoveredIssuer?: string;
  jwksFetches(): number;
  close(): Promise<void>;
}

export async function startProvider(): Promise<LocalProvider> {
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    if (provider.failWith) {
      res.writeHead(provider.failWith).end();
      return;
    }
    res.setHeader('content-type', 'application/json');
    if (req.url === '/realms/aftercare/.well-known/openid-configuration') {
      res.end(
        JSON.stringify({
          issuer: provider.discoveredIssuer ?? provider.issuer,
          jwks_uri: provider.jwksUrl,
        }),
      );
    } else if (req.url === '/realms/aftercare/certs') {
      fetches += 1;
      res.end(JSON.stringify({ keys: provider.keys.map((k) => k.publicJwk) }));
    } else res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/aftercare`;
  const provider: LocalProvider = {
    issuer: base,
    jwksUrl: `${base}/certs`,
    keys: [],
    jwksFetches: () => fetches,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return provider;
}
