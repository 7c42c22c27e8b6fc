import { readFileSync } from 'node:fs';
import { signDevToken } from '../src/dev-token';
import { createGateway, type Gateway } from '../src/gateway';
import { SUBGRAPHS, SUPERGRAPH_FILE } from '../src/subgraphs';
import {
  bearer,
  logger,
  SECRET,
  GATEWAY_SIGNING_KEY,
  relayedByGateway,
  startGateway,
  startThingsSubgraph,
} from './fixtures';

const token = signDevToken({ sub: 'alice', roles: ['agent'], secret: SECRET, ttl: 60 });
const json = { 'content-type': 'application/json' };
const csrfSafe = { 'apollo-require-preflight': 'true' };

interface Answer {
  status: number;
  allow: string | null;
  errors?: Array<{ message: string; extensions?: { code?: string; reason?: string } }>;
}

async function send(url: string, init: RequestInit, search = ''): Promise<Answer> {
  const res = await fetch(url + search, init);
  const text = await res.text();
  return { status: res.status, allow: res.headers.get('allow'), ...JSON.parse(text) };
}

/**
 * Requests a careless client or an attacker sends, with what each must be answered: a 4xx and a
 * GraphQL error body with a code (and our reason where the refusal is ours), never a 500.
 */
const CASES: Array<{
  name: string;
  init: RequestInit;
  search?: string;
  status: number;
  code: string;
  reason?: string;
}> = [
  {
    name: 'several operations and no operationName',
    init: {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        query: 'query A { thing(id: "1") { id } } query B { thing(id: "2") { id } }',
      }),
    },
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
    reason: 'OPERATION_NAME_REQUIRED',
  },
  {
    name: 'an operationName the document does not hold',
    init: {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ query: 'query A { thing(id: "1") { id } }', operationName: 'Z' }),
    },
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
    reason: 'UNKNOWN_OPERATION_NAME',
  },
  {
    name: 'a subscription',
    init: {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ query: 'subscription { thing(id: "1") { id } }' }),
    },
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
    reason: 'SUBSCRIPTION_NOT_SUPPORTED',
  },
  {
    name: 'a JSON body that does not parse',
    init: { method: 'POST', headers: json, body: '{"query": "{ thing' },
    status: 400,
    code: 'BAD_REQUEST',
    reason: 'INVALID_JSON',
  },
  {
    name: 'a body over the size limit',
    init: {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ query: `{ thing(id: "1") { id } } # ${'x'.repeat(1024 * 1024)}` }),
    },
    status: 413,
    code: 'BAD_REQUEST',
    reason: 'BODY_TOO_LARGE',
  },
  {
    name: 'a PUT',
    init: { method: 'PUT', headers: json, body: '{}' },
    status: 405,
    code: 'BAD_REQUEST',
    reason: 'METHOD_NOT_ALLOWED',
  },
  {
    name: 'a DELETE',
    init: { method: 'DELETE' },
    status: 405,
    code: 'BAD_REQUEST',
    reason: 'METHOD_NOT_ALLOWED',
  },
  {
    name: 'a mutation over GET',
    init: { method: 'GET', headers: csrfSafe },
    search: `?query=${encodeURIComponent('mutation { thing(id: "1") { id } }')}`,
    status: 405,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a GET without a query',
    init: { method: 'GET', headers: csrfSafe },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a text/plain body (what a cross-site form sends)',
    init: {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ thing(id: "1") { id } }' }),
    },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a body of another content type',
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/graphql' },
      body: '{ thing(id: "1") { id } }',
    },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a batch (an array body)',
    init: {
      method: 'POST',
      headers: json,
      body: JSON.stringify([{ query: '{ thing(id: "1") { id } }' }]),
    },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a JSON body that is not an object',
    init: { method: 'POST', headers: json, body: '"{ thing(id: \\"1\\") { id } }"' },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'variables that are not an object',
    init: {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ query: '{ thing(id: "1") { id } }', variables: '{"a":1}' }),
    },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'an operationName that is not a string',
    init: {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ query: '{ thing(id: "1") { id } }', operationName: 7 }),
    },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a query that is not a string',
    init: { method: 'POST', headers: json, body: JSON.stringify({ query: 42 }) },
    status: 400,
    code: 'BAD_REQUEST',
  },
];

describe('request-level errors (issue 11): 4xx with a GraphQL error body, never 500', () => {
  let subgraph: Awaited<ReturnType<typeof startThingsSubgraph>>;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    subgraph = await startThingsSubgraph();
    gateway = await startGateway(subgraph.url);
  });
  afterAll(() => Promise.all([gateway.http.close(1000), subgraph.http.close(1000)]));

  const withToken = (init: RequestInit): RequestInit => ({
    ...init,
    headers: { ...(init.headers as Record<string, string>), ...bearer(token) },
  });

  it.each(CASES)('the gateway answers $name with $status $code', async (c) => {
    const before = subgraph.requests();
    const answer = await send(gateway.url, withToken(c.init), c.search);
    expect(answer.status).toBe(c.status);
    expect(answer.errors?.[0]?.message).toEqual(expect.any(String));
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: c.code,
      ...(c.reason ? { reason: c.reason } : {}),
    });
    if (c.status === 405) expect(answer.allow).toMatch(/POST/);
    expect(subgraph.requests()).toBe(before);
  });

  // The kit's HTTP server and request checks are the subgraphs' too.
  it.each(CASES)('a subgraph answers $name with $status $code', async (c) => {
    const relayed = {
      ...c.init,
      headers: { ...(c.init.headers as Record<string, string>), ...(await relayedByGateway()) },
    };
    const answer = await send(subgraph.url, relayed, c.search);
    expect(answer.status).toBe(c.status);
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: c.code,
      ...(c.reason ? { reason: c.reason } : {}),
    });
  });

  it('still runs the operation named among several', async () => {
    const named = await send(
      gateway.url,
      withToken({
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          query: 'query A { thing(id: "1") { id } } query B { thing(id: "2") { id } }',
          operationName: 'B',
        }),
      }),
    );
    expect(named).toMatchObject({ status: 200, data: { thing: { id: '2' } } });
  });
});

describe('field suggestions (issue 11)', () => {
  const supergraphSdl = readFileSync(SUPERGRAPH_FILE, 'utf8');
  const open = (allowIntrospection: boolean): Gateway =>
    createGateway({
      supergraphSdl,
      // Validation answers before any subgraph is asked.
      subgraphUrls: Object.fromEntries(
        SUBGRAPHS.map((s) => [s.name, 'http://127.0.0.1:9/graphql']),
      ),
      jwt: { secret: SECRET },
      signingKey: GATEWAY_SIGNING_KEY,
      allowIntrospection,
      logger,
    });
  const production = open(false);
  const development = open(true);
  const urls: string[] = [];
  beforeAll(async () => {
    for (const g of [production, development])
      urls.push(`http://127.0.0.1:${await g.http.listen('127.0.0.1', 0)}/graphql`);
  });
  afterAll(() => Promise.all([production.http.close(1000), development.http.close(1000)]));

  // Typos graphql-js answers with "Did you mean …?": field, argument, enum value, input field
  // (literal and in variables), type, fragment type condition; the survey link is anonymous.
  const TYPOS: Array<{ query: string; variables?: Record<string, unknown>; anonymous?: boolean }> =
    [
      { query: '{ customrs { totalCount } }' },
      { query: '{ customers(frist: 1) { totalCount } }' },
      { query: '{ workOrders(filter: { status: REGISTERD }) { totalCount } }' },
      { query: '{ workOrders(filter: { statu: REGISTERED }) { totalCount } }' },
      {
        query: 'query($f: WorkOrderFilter) { workOrders(filter: $f) { totalCount } }',
        variables: { f: { statu: 'REGISTERED' } },
      },
      {
        query: 'query($f: WorkOrderFilter) { workOrders(filter: $f) { totalCount } }',
        variables: { f: { status: 'REGISTERD' } },
      },
      { query: 'query($f: WorkOrderFiltr) { workOrders(filter: $f) { totalCount } }' },
      { query: '{ ...F } fragment F on Quer { __typename }' },
      { query: '{ surveyByToken(token: "t") { kindd } }', anonymous: true },
    ];

  const messages = async (url: string) => {
    const all: string[] = [];
    for (const typo of TYPOS) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { ...json, ...(typo.anonymous ? {} : bearer(token)) },
        body: JSON.stringify({ query: typo.query, variables: typo.variables }),
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: Array<{ message: string }> };
      all.push(...body.errors.map((e) => e.message));
    }
    return all;
  };

  it('issue 11: no error message says "Did you mean", to anyone, in production', async () => {
    const all = await messages(urls[0]!);
    expect(all.length).toBeGreaterThanOrEqual(TYPOS.length);
    for (const message of all) expect(message).not.toMatch(/did you mean/i);
    expect(all).toContain('Cannot query field "customrs" on type "Query".');
  });

  it('keeps suggestions where introspection is allowed (development): they show nothing introspection would not', async () => {
    const all = await messages(urls[1]!);
    expect(all.filter((m) => m.includes('Did you mean')).length).toBe(TYPOS.length);
  });
});

describe('automatic persisted queries (issue 11, found by the fuzz suite)', () => {
  it('are not supported: a hash, right or wrong, gets a coded refusal and no internal error', async () => {
    const subgraph = await startThingsSubgraph();
    const gateway = await startGateway(subgraph.url);
    try {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(token) },
        body: JSON.stringify({
          query: '{ thing(id: "1") { id } }',
          extensions: { persistedQuery: { version: 1, sha256Hash: 'deadbeef' } },
        }),
      });
      const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
      expect(res.status).toBeLessThan(500);
      expect(body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    } finally {
      await gateway.http.close(1000);
      await subgraph.http.close(1000);
    }
  });
});
