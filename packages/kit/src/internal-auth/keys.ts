import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { z } from 'zod';

/**
 * Keys of the internal identity tokens (ADR 0010): each process signs with its own Ed25519
 * private key; every process knows the public keys of the processes it accepts calls from,
 * grouped by the signer's name (`gateway`, `customer`, …). Listing two keys for one signer is how
 * a key is rotated: verifiers accept both while the signer moves to the new one.
 */
export interface SigningKey {
  kid: string;
  key: KeyObject;
}

/** Signer name → key id → public key. */
export type TrustedKeys = ReadonlyMap<string, ReadonlyMap<string, KeyObject>>;

export class KeyConfigError extends Error {}

const okpJwk = z
  .object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string().min(1) })
  .loose();

const trustedSchema = z.record(
  z.string().regex(/^[a-z][a-z0-9-]*$/, 'signer names are lower-case words'),
  z.array(okpJwk).min(1),
);

/**
 * Parses a private Ed25519 JWK (JSON text). Key ids are always the RFC 7638 thumbprint of the
 * public key, whatever `kid` the JWK carries, so signer and verifiers agree without coordinating ids.
 */
export function parseSigningKey(text: string): SigningKey {
  const jwk = parseJson(text, 'the private key');
  const parsed = okpJwk.extend({ d: z.string().min(1) }).safeParse(jwk);
  if (!parsed.success)
    throw new KeyConfigError(
      'must be an Ed25519 private key as a JWK (kty OKP, crv Ed25519, d, x)',
    );
  try {
    const key = createPrivateKey({ key: parsed.data as JsonWebKey, format: 'jwk' });
    return { kid: keyId(parsed.data), key };
  } catch (err) {
    throw new KeyConfigError(`is not a usable Ed25519 key: ${(err as Error).message}`);
  }
}

/** Parses `{"gateway":[jwk,…],"customer":[jwk,…]}` of public Ed25519 JWKs. */
export function parseTrustedKeys(text: string): TrustedKeys {
  const parsed = trustedSchema.safeParse(parseJson(text, 'the trusted keys'));
  if (!parsed.success) {
    throw new KeyConfigError(
      'must be a JSON object of signer name → array of Ed25519 public JWKs, e.g. {"gateway":[{"kty":"OKP","crv":"Ed25519","x":"…"}]}',
    );
  }
  const trusted = new Map<string, Map<string, KeyObject>>();
  for (const [signer, jwks] of Object.entries(parsed.data)) {
    const keys = new Map<string, KeyObject>();
    for (const jwk of jwks) {
      // Only the public half is used, even if a private JWK was pasted by mistake.
      const { kty, crv, x } = jwk;
      try {
        keys.set(keyId(jwk), createPublicKey({ key: { kty, crv, x }, format: 'jwk' }));
      } catch (err) {
        throw new KeyConfigError(`has an unusable key for "${signer}": ${(err as Error).message}`);
      }
    }
    trusted.set(signer, keys);
  }
  return trusted;
}

export interface KeyPairJwk {
  privateJwk: JsonWebKey & { kid: string };
  publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string };
}

/** A new Ed25519 key pair as JWKs (for `npm run keys`, `npm start` and tests). */
export function generateKeyPairJwk(): KeyPairJwk {
  const { privateKey } = generateKeyPairSync('ed25519');
  const full = privateKey.export({ format: 'jwk' });
  const publicJwk = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: full.x as string };
  const kid = keyId(publicJwk);
  return { privateJwk: { ...full, kid }, publicJwk: { ...publicJwk, kid } };
}

/** RFC 7638 thumbprint of an OKP key: SHA-256 of its required members in lexical order. */
function keyId(jwk: { crv: string; kty: string; x: string }): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return createHash('sha256').update(canonical).digest('base64url');
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new KeyConfigError(`must be JSON (${what})`);
  }
}
