import type { Identity } from '@aftercare/kit';
import { Client } from 'pg';
import { gatewayIdentityHeader } from './identity';

/** Runs one parameterised statement against a test database and returns its rows. */
export async function dbQuery<T = Record<string, unknown>>(
  databaseUrl: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return (await db.query(sql, params)).rows as T[];
  } finally {
    await db.end();
  }
}

/** Row count of a table (tests prove "nothing was written" with it). */
export const rowCount = async (databaseUrl: string, table: string): Promise<number> =>
  (await dbQuery<{ n: number }>(databaseUrl, `SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

/** Row counts of several tables, in the order named: equal before and after = nothing written. */
export const rowCounts = (databaseUrl: string, tables: readonly string[]): Promise<number[]> =>
  Promise.all(tables.map((t) => rowCount(databaseUrl, t)));

export interface SubgraphResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; reason?: string; field?: string } }[];
}

/**
 * Posts an operation straight to a service's subgraph as the gateway would for `caller`; with
 * `timeoutMs`, a request that gets no answer in time is aborted (a TimeoutError is thrown).
 */
export async function subgraphRequest<T = Record<string, unknown>>(
  httpPort: number,
  query: string,
  variables: object,
  caller: Identity,
  options: { timeoutMs?: number } = {},
): Promise<SubgraphResponse<T>> {
  const res = await fetch(`http://127.0.0.1:${httpPort}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await gatewayIdentityHeader(caller)) },
    body: JSON.stringify({ query, variables }),
    ...(options.timeoutMs ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
  });
  return (await res.json()) as SubgraphResponse<T>;
}

/** Like `subgraphRequest`, but any GraphQL error fails the call: for setting up a test's world. */
export async function subgraphData<T = Record<string, unknown>>(
  httpPort: number,
  query: string,
  variables: object,
  caller: Identity,
): Promise<T> {
  const body = await subgraphRequest<T>(httpPort, query, variables, caller);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data as T;
}
