import {
  createInternalAuth,
  generateKeyPairJwk,
  type Identity,
  IDENTITY_HEADER,
  parseSigningKey,
} from '@aftercare/kit';
import { Client, credentials, type ServiceDefinition } from '@grpc/grpc-js';
import { rootFieldProbes } from './access';
import { callWithEmptyRequest } from './grpc-probe';
import { dbQuery } from './helpers';
import { testAuth } from './identity';

export interface IdentityAttackTarget {
  /** The service's name: the audience its genuine tokens carry. */
  service: string;
  httpPort: number;
  schemaPath: string;
  grpcAddress: string;
  grpcServices: readonly ServiceDefinition[];
  databaseUrl: string;
}

export interface IdentityAttackReport {
  /** `field or method × attack → what came back`, for every call that was not refused UNAUTHENTICATED. */
  accepted: string[];
  calls: number;
  rowsChanged: boolean;
}

const ADMIN: Identity = { userId: 'mallory', roles: ['admin'] };
const UNAUTHENTICATED = 16;

/**
 * Calls every root field of a subgraph and every gRPC method of a service (read from the schema
 * and the service definitions, so new ones are covered without a change) as an attacker who can
 * reach the service directly and claims to be an admin: without a token, with the identity
 * headers older versions trusted, with a token signed by their own key, with an expired or
 * misaddressed genuine token, and (subgraphs) with a token from a service rather than the gateway.
 */
export async function identityAttacks(target: IdentityAttackTarget): Promise<IdentityAttackReport> {
  const stranger = (name: string) =>
    createInternalAuth({
      name,
      signingKey: parseSigningKey(JSON.stringify(generateKeyPairJwk().privateJwk)),
      trustedKeys: new Map(),
    });
  const expired = (name: string) => testAuth(name, () => Date.now() - 10 * 60_000);
  const token = async (auth: ReturnType<typeof testAuth>, audience = target.service) => ({
    [IDENTITY_HEADER]: await auth.sign(ADMIN, audience),
  });
  const common = async (signer: string): Promise<[string, Record<string, string>][]> => [
    ['unsigned', {}],
    ['legacy headers', { 'x-aftercare-user-id': ADMIN.userId, 'x-aftercare-user-roles': 'admin' }],
    ['forged', await token(stranger(signer))],
    ['expired', await token(expired(signer))],
    ['wrong audience', await token(testAuth(signer), 'elsewhere')],
  ];
  const httpAttacks = [
    ...(await common('gateway')),
    ['service-signed', await token(testAuth('workorder'))],
  ] as [string, Record<string, string>][];
  const grpcAttacks = await common('workorder');

  const before = await rowTotals(target.databaseUrl);
  const accepted: string[] = [];
  let calls = 0;
  const probes = [
    ...rootFieldProbes(target.schemaPath, 'Query'),
    ...rootFieldProbes(target.schemaPath, 'Mutation'),
  ];
  for (const { field, operation } of probes) {
    for (const [attack, headers] of httpAttacks) {
      calls += 1;
      const res = await fetch(`http://127.0.0.1:${target.httpPort}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: operation }),
      });
      const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
      const code = body.errors?.[0]?.extensions?.code;
      if (res.status !== 401 || code !== 'UNAUTHENTICATED')
        accepted.push(`${field} × ${attack} → HTTP ${res.status} ${code ?? 'no error'}`);
    }
  }
  const client = new Client(target.grpcAddress, credentials.createInsecure());
  try {
    for (const service of target.grpcServices) {
      for (const [name, method] of Object.entries(service)) {
        for (const [attack, entries] of grpcAttacks) {
          calls += 1;
          const code = await callWithEmptyRequest(client, method, entries);
          if (code !== UNAUTHENTICATED) accepted.push(`${name} × ${attack} → gRPC status ${code}`);
        }
      }
    }
  } finally {
    client.close();
  }
  const after = await rowTotals(target.databaseUrl);
  return { accepted, calls, rowsChanged: JSON.stringify(before) !== JSON.stringify(after) };
}

/** Row count of every table of a database, by table name. */
async function rowTotals(databaseUrl: string): Promise<Record<string, number>> {
  const tables = await dbQuery<{ name: string }>(
    databaseUrl,
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  if (!tables.length) return {};
  const rows = await dbQuery<{ name: string; n: number }>(
    databaseUrl,
    tables
      .map((t) => `SELECT '${t.name}' AS name, count(*)::int AS n FROM "${t.name}"`)
      .join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.n]));
}
