import {
  generateKeyPairJwk,
  parseSigningKey,
  parseTrustedKeys,
} from '../../src/internal-auth/keys';
import {
  createInternalAuth,
  IDENTITY_HEADER,
  type InternalAuth,
} from '../../src/internal-auth/token';
import type { Identity } from '../../src/auth';

/** One key trusted under every signer name the kit's tests use (the gateway and a calling service). */
const pair = generateKeyPairJwk();
const trustedKeys = parseTrustedKeys(
  JSON.stringify({ gateway: [pair.publicJwk], caller: [pair.publicJwk] }),
);
const signingKey = parseSigningKey(JSON.stringify(pair.privateJwk));

/** The signing key behind `authAs`, for tests that need a signer with another clock. */
export const authAsKey = () => signingKey;

export const authAs = (name: string): InternalAuth =>
  createInternalAuth({ name, signingKey, trustedKeys });

/** The header the gateway would send to subgraph `audience` for `caller` (null: anonymous). */
export const gatewayHeader = async (
  caller: Identity | null,
  audience = 'things',
): Promise<Record<string, string>> => ({
  [IDENTITY_HEADER]: await authAs('gateway').sign(caller, audience),
});
