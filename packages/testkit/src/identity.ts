import {
  createGrpcClient,
  createInternalAuth,
  generateKeyPairJwk,
  type GeneratedClientConstructor,
  type GrpcClientOptions,
  type Identity,
  IDENTITY_HEADER,
  type InternalAuth,
  parseSigningKey,
  parseTrustedKeys,
  type PromiseClient,
} from '@aftercare/kit';

/** Every signer name a test may act as; `test` is a test file calling a service directly. */
const SIGNERS = ['gateway', 'customer', 'workorder', 'inventory', 'complaint', 'survey', 'test'];
const SERVICES = ['customer', 'workorder', 'inventory', 'complaint', 'survey'];

// One key per test process, trusted under every signer name: tests exercise the verification,
// not the distribution of keys (deploy tests and the key tests cover one key per process).
const pair = generateKeyPairJwk();

/** The internal-identity variables every service started by a test gets. */
export const TEST_AUTH_ENV = {
  INTERNAL_AUTH_PRIVATE_KEY: JSON.stringify(pair.privateJwk),
  INTERNAL_AUTH_TRUSTED_KEYS: JSON.stringify(
    Object.fromEntries(SIGNERS.map((s) => [s, [pair.publicJwk]])),
  ),
};

const signingKey = parseSigningKey(TEST_AUTH_ENV.INTERNAL_AUTH_PRIVATE_KEY);
const trustedKeys = parseTrustedKeys(TEST_AUTH_ENV.INTERNAL_AUTH_TRUSTED_KEYS);

/**
 * Signs as `name` with the test key, e.g. `testAuth('gateway')` to call a subgraph as the gateway
 * would; `now` moves its clock (to make tokens that have expired).
 */
export const testAuth = (name = 'test', now?: () => number): InternalAuth =>
  createInternalAuth({ name, signingKey, trustedKeys, ...(now ? { now } : {}) });

const asGateway = testAuth('gateway');

/**
 * The header a subgraph request carries when the gateway relays `caller` (null: anonymous).
 * Made for every service at once, so a test needs to know only the subgraph's port.
 */
export async function gatewayIdentityHeader(
  caller: Identity | null,
): Promise<Record<string, string>> {
  const token = await asGateway.sign(caller, SERVICES);
  return { [IDENTITY_HEADER]: token };
}

/** `createGrpcClient` signing as a test caller (`test` unless another signer is named). */
export function testGrpcClient<C extends GeneratedClientConstructor>(
  ClientConstructor: C,
  address: string,
  opts: Omit<GrpcClientOptions, 'auth'> & { signer?: string } = {},
): PromiseClient<C['service']> {
  const { signer, ...rest } = opts;
  return createGrpcClient(ClientConstructor, address, { ...rest, auth: testAuth(signer) });
}
