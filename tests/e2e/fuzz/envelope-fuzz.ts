import type { Role } from '@aftercare/kit';
import fc from 'fast-check';
import { answerProblems, type GatewayTarget, parseGraphQL } from './graphql-check';
import { HOSTILE_STRINGS } from './hostile';
import { againIfSlow } from './latency';
import type { FuzzTarget } from './runner';

/** A raw HTTP request to the GraphQL endpoint: the parts of it a client can get wrong. */
export interface EnvelopeCase {
  method: 'GET' | 'POST';
  contentType: string | undefined;
  /** POST body as sent, or the GET query string. */
  payload: string;
  roles: Role[] | null;
}

// Read-only documents: envelope cases run beside the mutation lane and must not write.
const DOCUMENTS: readonly unknown[] = [
  '{ parts { nodes { code } } }',
  'query A { parts { nodes { code } } } query B { warehouses { nodes { code } } }',
  'query A { parts { nodes { code } } } mutation B { createWarehouse(input: {}) { warehouse { code } } }',
  'subscription S { parts { nodes { code } } }',
  '{ parts { nodes { code } }',
  '{ __schema { types { name } } }',
  '{ __typename }',
  '{ partz { code } }',
  'query Q($x: Int) { parts { nodes { code } } }',
  'fragment F on Query { ...F } { ...F }',
  `{ ${Array.from({ length: 400 }, (_, i) => `a${i}: parts { nodes { code } }`).join(' ')} }`,
  `{ ${'parts { '.repeat(3000)}code${' }'.repeat(3000)} }`,
  `{ parts { nodes { code ${'@include(if: true) '.repeat(500)} } } }`,
  '',
  '#',
  42,
  null,
  { kind: 'Document' },
  ['{ parts { nodes { code } } }'],
];

const OPERATION_NAMES: readonly unknown[] = ['A', 'B', 'Q', 'S', 'Nope', '', 7, null, { a: 1 }];
const VARIABLES: readonly unknown[] = [{}, { x: 1 }, { x: 'x' }, 'x=1', [1], 0, null];
const EXTENSIONS: readonly unknown[] = [
  { persistedQuery: { version: 1, sha256Hash: 'deadbeef' } },
  { persistedQuery: 'x' },
  'x',
  [],
];

const maybe = <T>(values: readonly T[]) =>
  fc.option(fc.constantFrom(...values), { nil: undefined, freq: 2 });

const request = fc
  .record(
    {
      query: fc.constantFrom(...DOCUMENTS),
      operationName: maybe(OPERATION_NAMES),
      variables: maybe(VARIABLES),
      extensions: maybe(EXTENSIONS),
    },
    { requiredKeys: [] },
  )
  .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));

const jsonBodies = fc.oneof(
  { weight: 8, arbitrary: request.map((r) => JSON.stringify(r)) },
  {
    weight: 1,
    arbitrary: fc.array(request, { minLength: 0, maxLength: 3 }).map((b) => JSON.stringify(b)),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      '{',
      'null',
      '"query"',
      '123',
      '[]',
      '{}',
      '\u0000',
      '{"query": "{ parts { nodes { code } } }"',
      ...HOSTILE_STRINGS.slice(0, 6),
    ),
  },
);

// The URL of a GET stays short: longer ones meet Node's header size limit (431) before any
// GraphQL code; long documents are covered by POST.
const MAX_GET_QUERY = 4000;
const getQueries = request
  .map((r) =>
    new URLSearchParams(
      Object.entries(r).map(([k, v]): [string, string] => [
        k,
        typeof v === 'string' ? v : JSON.stringify(v),
      ]),
    ).toString(),
  )
  .filter((q) => q.length < MAX_GET_QUERY);

/** Broken requests around the operation: bodies, methods, content types, batches, operation names. */
export const envelopeCases: fc.Arbitrary<EnvelopeCase> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      method: fc.constant<'POST'>('POST'),
      contentType: fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'application/graphql',
        'text/plain',
        'multipart/form-data; boundary=x',
        undefined,
      ),
      payload: jsonBodies,
      roles: fc.constantFrom<Role[] | null>(['admin'], ['agent'], null),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      method: fc.constant<'GET'>('GET'),
      contentType: fc.constant(undefined),
      payload: getQueries,
      roles: fc.constantFrom<Role[] | null>(['admin'], null),
    }),
  },
);

export function envelopeTarget(gateway: GatewayTarget): FuzzTarget<EnvelopeCase> {
  return {
    name: 'request envelope',
    cases: envelopeCases,
    async run(c) {
      const headers: Record<string, string> = {
        // Apollo's CSRF prevention wants this on GET and on simple content types.
        'apollo-require-preflight': 'true',
      };
      if (c.contentType) headers['content-type'] = c.contentType;
      if (c.roles) headers.authorization = `Bearer ${gateway.token(c.roles, 'fz-admin')}`;
      const send = async () => {
        const started = performance.now();
        const res = await fetch(c.method === 'GET' ? `${gateway.url}?${c.payload}` : gateway.url, {
          method: c.method,
          headers,
          body: c.method === 'POST' ? c.payload : undefined,
          signal: AbortSignal.timeout(30_000),
        });
        const raw = await res.text();
        return {
          status: res.status,
          ms: performance.now() - started,
          body: parseGraphQL(raw),
          raw,
        };
      };
      const answer = await againIfSlow(send, (a) => a.ms);
      return {
        problems: answerProblems(answer),
        answer: { status: answer.status, body: answer.raw.slice(0, 400) },
      };
    },
  };
}
