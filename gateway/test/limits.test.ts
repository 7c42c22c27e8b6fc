import { readFileSync } from 'node:fs';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { buildSchema, parse } from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import { signDevToken } from '../src/dev-token';
import { createGateway } from '../src/gateway';
import { DEFAULT_LIMITS, operationCost } from '../src/limits';
import { SUBGRAPHS, SUPERGRAPH_FILE } from '../src/subgraphs';
import {
  bearer,
  logger,
  query,
  SECRET,
  GATEWAY_SIGNING_KEY,
  startGateway,
  startThingsSubgraph,
} from './fixtures';

// Counted, to show a document sent again is not walked again.
jest.mock('graphql-query-complexity', () => {
  const actual = jest.requireActual('graphql-query-complexity');
  return { ...actual, getComplexity: jest.fn(actual.getComplexity) };
});
jest.mock('@escape.tech/graphql-armor-max-depth', () => {
  const actual = jest.requireActual('@escape.tech/graphql-armor-max-depth');
  return { ...actual, maxDepthRule: jest.fn(actual.maxDepthRule) };
});

const token = signDevToken({ sub: 'alice', roles: ['dispatcher'], secret: SECRET, ttl: 60 });

describe('operationCost: list sizes weigh what they hold', () => {
  const schema = buildSchema(`
    type Query {
      orders(first: Int, last: Int, after: String): OrderPage!
      board(first: Int = 50): [Order!]!
      parts: [Part!]!
      order(id: ID!): Order
    }
    type OrderPage { items: [Order!]! total: Int! }
    type Order { id: ID! tags: [String!]! lines: [Line!]! customer: Customer }
    type Line { qty: Int }
    type Customer { name: String }
    type Part { code: String }
  `);
  const cost = (text: string, variables?: Record<string, unknown>) =>
    operationCost(schema, parse(text), { variables, defaultListSize: 10 });

  it('issue 11: a paged field multiplies what it selects by `first` (or `last`), its page list adding no factor of its own', () => {
    // 1 for orders + 100 × (items 1 + id 1).
    expect(cost('{ orders(first: 100) { items { id } } }')).toBe(201);
    expect(cost('{ orders(last: 3) { items { id } } }')).toBe(7);
    expect(cost('query($n: Int) { orders(first: $n) { total } }', { n: 30 })).toBe(31);
    // Nested lists multiply: 2 orders × (items 1 + lines 1 + 10 unsized lines × qty 1).
    expect(cost('{ orders(first: 2) { items { lines { qty } } } }')).toBe(25);
  });

  it("issue 11: without `first`, the schema's default page size counts, else the configured default", () => {
    expect(cost('{ board { id } }')).toBe(51);
    expect(cost('{ board(first: 5) { id } }')).toBe(6);
    expect(cost('{ orders { items { id } } }')).toBe(21);
    expect(cost('{ parts { code } }')).toBe(11);
    // Nonsense sizes are the subgraph's to refuse; they count as one element here.
    expect(cost('{ orders(first: -5) { items { id } } }')).toBe(3);
  });

  it('counts a leaf list (strings) and a single object as one value, and every field once', () => {
    expect(cost('{ order(id: 1) { id tags customer { name } } }')).toBe(5);
  });

  it('counts introspection by its fields alone (it is allowed only in development)', () => {
    expect(cost('{ __schema { types { name fields { name } } } }')).toBe(5);
  });
});

describe('query limits over the real supergraph', () => {
  // Nothing listens on port 9: an operation that passes the limits ends as SERVICE_UNAVAILABLE.
  const gateway = createGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    subgraphUrls: Object.fromEntries(SUBGRAPHS.map((s) => [s.name, 'http://127.0.0.1:9/graphql'])),
    jwt: { secret: SECRET },
    signingKey: GATEWAY_SIGNING_KEY,
    allowIntrospection: false,
    // Long documents are refused for their length first; these tests look past that at cost.
    limits: { maxTokens: 10_000 },
    logger,
  });
  let url: string;
  beforeAll(async () => {
    url = `http://127.0.0.1:${await gateway.http.listen('127.0.0.1', 0)}/graphql`;
  });
  afterAll(() => gateway.http.close(1000));

  const DISPATCH_BOARD = `
    query DispatchBoard($city: String) {
      dispatchBoard(filter: { city: $city }, first: 100) {
        carriedOver overdue dueAt
        workOrder {
          id number status category channel serviceType faultDescription calledAt areaType
          distanceKm addressLine allowedActions
          region { province city district }
          contact { name phone }
          customer { id name grade }
          asset { id model serialNumber }
          sla { arrivalDueAt onSiteDueAt nextDueAt breached }
          technicians { id name team }
          leadTechnician { id name }
        }
      }
    }`;
  // The largest operation of the end-to-end suite: teams × technicians × categories, unsized.
  const DAILY_REPORT = `
    query($date: Date!) {
      dailyReport(date: $date) {
        date
        teams {
          team totalJobs completedJobs totalMinutes
          technicians { technicianId technician { name } totalJobs lines { category jobs completedJobs minutes } }
          lines { category jobs completedJobs minutes }
        }
      }
    }`;

  it('issue 11: refuses 333 aliased workOrders(first: 100) with QUERY_TOO_COSTLY before any subgraph is asked', async () => {
    const aliases = Array.from(
      { length: 333 },
      (_, i) => `w${i}: workOrders(first: 100) { nodes { id number status } }`,
    );
    const { status, body } = await query(url, `{ ${aliases.join(' ')} }`, bearer(token));
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      {
        message: `The operation would cost 133533, more than ${DEFAULT_LIMITS.maxCost} (every field counts 1, times the elements of the lists around it: \`first\`, or ${DEFAULT_LIMITS.defaultListSize} when unsized); ask for less or split it`,
        extensions: { code: 'QUERY_TOO_COMPLEX', reason: 'QUERY_TOO_COSTLY' },
      },
    ]);
    // A single page of them is the same story once the page is big enough to matter.
    const few = aliases.slice(0, 25).join(' ');
    expect(
      (await query(url, `{ ${few} }`, bearer(token))).body.errors?.[0]?.extensions?.reason,
    ).toBe('QUERY_TOO_COSTLY');
  });

  it('issue 13: a connection weighs `first` times what its edges and nodes select, nested connections multiplying', async () => {
    // 100 warehouses × (nodes 1 + code 1 + stock 1 + 100 levels × (nodes 1 + onHand 1 + part 1 + code 1)) + 1.
    const { status, body } = await query(
      url,
      '{ warehouses(first: 100) { nodes { code stock(first: 100) { nodes { onHand part { code } } } } } }',
      bearer(token),
    );
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      reason: 'QUERY_TOO_COSTLY',
    });
    expect(body.errors?.[0]?.message).toContain('would cost 40301,');
    // One page of a catalogue that fits is let through to the (absent) subgraph.
    const page = await query(
      url,
      '{ parts(first: 100) { totalCount pageInfo { endCursor } edges { cursor node { code name } } } }',
      bearer(token),
    );
    expect(page.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('issue 11: lets a dispatch board of 100 rows and the daily report through the limits', async () => {
    for (const [text, variables] of [
      [DISPATCH_BOARD, { city: 'Hangzhou' }],
      [DAILY_REPORT, { date: '2026-11-23' }],
    ] as const) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(token) },
        body: JSON.stringify({ query: text, variables }),
      });
      const body = (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
      // It reached the (absent) subgraphs: no limit refused it.
      expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    }
  });

  it('issue 13: a connection inside a connection multiplies by both pages (edges and nodes alike)', async () => {
    for (const page of ['nodes { id }', 'edges { cursor node { id } }']) {
      const nested = `{ customers(first: 100) { nodes { workOrders(first: 100) { ${page} } } } }`;
      expect((await query(url, nested, bearer(token))).body.errors?.[0]?.extensions?.reason).toBe(
        'QUERY_TOO_COSTLY',
      );
    }
  });

  it('issue 11: refuses variables that do not fit their types as bad input, not as an internal error', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify({
        query: 'query($n: Int) { workOrders(first: $n) { totalCount } }',
        variables: { n: 'many' },
      }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Array<{ message: string; extensions: unknown }> };
    expect(body.errors[0]).toEqual({
      message:
        'Variable "$n" got invalid value "many"; Int cannot represent non-integer value: "many"',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  describe('one document sent again', () => {
    const post = (text: string, variables?: Record<string, unknown>) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(token) },
        body: JSON.stringify({ query: text, variables }),
      }).then(async (res) => ({
        status: res.status,
        body: (await res.json()) as {
          errors?: Array<{ message: string; extensions?: { code?: string; reason?: string } }>;
        },
      }));

    it('is weighed once per operation and sizing values: the same answer without walking it again', async () => {
      const estimates = jest.mocked(getComplexity);
      estimates.mockClear();
      const text = 'query($id: ID!) { workOrder(id: $id) { id status } }';
      for (const id of ['1', '2', '3'])
        expect((await post(text, { id })).body.errors?.[0]?.extensions?.code).toBe(
          'SERVICE_UNAVAILABLE',
        );
      // The id is no size: one estimate served all three.
      expect(estimates).toHaveBeenCalledTimes(1);
    });

    it('has its shape walked once when nothing refuses it, as when something does', async () => {
      const walks = jest.mocked(maxDepthRule);
      walks.mockClear();
      const text = 'query($id: ID!) { workOrder(id: $id) { id number } }';
      for (const id of ['1', '2', '3'])
        expect((await post(text, { id })).body.errors?.[0]?.extensions?.code).toBe(
          'SERVICE_UNAVAILABLE',
        );
      expect(walks).toHaveBeenCalledTimes(1);
    });

    it('is weighed again for each page size and directive its variables set, each answered as alone', async () => {
      const text = `query($n: Int, $all: Boolean!) {
        customers(first: $n) { nodes { id workOrders(first: 100) @include(if: $all) { nodes { id } } } }
      }`;
      const reason = async (variables: Record<string, unknown>) => {
        const extensions = (await post(text, variables)).body.errors?.[0]?.extensions;
        return extensions?.code === 'QUERY_TOO_COMPLEX' ? extensions.reason : extensions?.code;
      };
      expect(await reason({ n: 2, all: true })).toBe('SERVICE_UNAVAILABLE');
      expect(await reason({ n: 100, all: true })).toBe('QUERY_TOO_COSTLY');
      expect(await reason({ n: 100, all: false })).toBe('SERVICE_UNAVAILABLE');
      expect(await reason({ n: 2, all: true })).toBe('SERVICE_UNAVAILABLE');
      expect(await reason({ n: 100, all: true })).toBe('QUERY_TOO_COSTLY');
    });

    it('still refuses variables that do not fit, after the same document passed', async () => {
      const text = 'query($n: Int) { workOrders(first: $n) { totalCount } }';
      expect((await post(text, { n: 5 })).body.errors?.[0]?.extensions?.code).toBe(
        'SERVICE_UNAVAILABLE',
      );
      const { status, body } = await post(text, { n: 'many' });
      expect(status).toBe(400);
      expect(body.errors?.[0]).toEqual({
        message:
          'Variable "$n" got invalid value "many"; Int cannot represent non-integer value: "many"',
        extensions: { code: 'BAD_USER_INPUT' },
      });
    });
  });
});

describe('limits on the shape of an operation', () => {
  let subgraph: Awaited<ReturnType<typeof startThingsSubgraph>>;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    subgraph = await startThingsSubgraph();
    gateway = await startGateway(subgraph.url, {
      limits: { maxCost: 1000, maxAliases: 3, maxDirectives: 2, maxTokens: 60 },
    });
  });
  afterAll(() => Promise.all([gateway.http.close(1000), subgraph.http.close(1000)]));

  const refusal = async (text: string) => {
    const before = subgraph.requests();
    const { status, body } = await query(gateway.url, text, bearer(token));
    expect(subgraph.requests()).toBe(before);
    return { status, message: body.errors?.[0]?.message, extensions: body.errors?.[0]?.extensions };
  };

  it('issue 11: refuses too many aliases, counting those of every fragment expansion and of __typename', async () => {
    expect(await refusal('{ a: thing(id: "1") { b: id c: id d: id } }')).toEqual({
      status: 400,
      message:
        'The operation uses more than 3 aliases (fragment expansions count); ask for less or split it',
      extensions: { code: 'QUERY_TOO_COMPLEX', reason: 'TOO_MANY_ALIASES' },
    });
    expect(
      (await refusal('{ thing(id: "1") { ...F ...F } } fragment F on Thing { x: id y: id }'))
        .extensions,
    ).toEqual({ code: 'QUERY_TOO_COMPLEX', reason: 'TOO_MANY_ALIASES' });
    expect(
      (await refusal('{ a: __typename b: __typename c: __typename d: __typename }')).extensions
        ?.reason,
    ).toBe('TOO_MANY_ALIASES');
    const fine = await query(gateway.url, '{ a: thing(id: "1") { b: id c: id } }', bearer(token));
    expect(fine.body).toEqual({ data: { a: { b: '1', c: '1' } } });
  });

  it('issue 11: refuses too many directives, every time the document comes', async () => {
    const text =
      '{ thing(id: "1") { id @include(if: true) seenUserId @include(if: true) seenRoles @skip(if: false) } }';
    for (let time = 0; time < 2; time++)
      expect(await refusal(text)).toEqual({
        status: 400,
        message: 'The operation uses more than 2 directives (fragment expansions count); use fewer',
        extensions: { code: 'QUERY_TOO_COMPLEX', reason: 'TOO_MANY_DIRECTIVES' },
      });
  });

  it('issue 11: stops parsing a document longer than the token limit and says so', async () => {
    const long = `{ thing(id: "1") { ${'id '.repeat(80)}} }`;
    expect(await refusal(long)).toEqual({
      status: 400,
      message: 'The operation is longer than 60 tokens; ask for less or split it',
      extensions: { code: 'QUERY_TOO_COMPLEX', reason: 'TOO_MANY_TOKENS' },
    });
    // An anonymous caller's long document is not even parsed to its end: refused as anonymous.
    const anonymous = await query(gateway.url, long);
    expect(anonymous.status).toBe(401);
  });
});
