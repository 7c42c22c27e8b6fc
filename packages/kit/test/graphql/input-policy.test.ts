import { parse } from 'graphql';
import pino from 'pino';
import { createSubgraph, DateScalar, DateTimeScalar } from '../../src/graphql';
import { createHttpServer, type HttpServer } from '../../src/http';

// A subgraph shaped like ours: a mutation with one `input` (nested inputs, lists, a long text),
// reads with searches, Date/DateTime arguments and a nested field with arguments.
const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  directive @limit(maxLength: Int!) on ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
  directive @access(roles: [String!], public: Boolean) on FIELD_DEFINITION
  scalar Date
  scalar DateTime
  input LineInput { note: String, quantity: Int }
  input SaveInput {
    name: String!
    story: String @limit(maxLength: 4000)
    lines: [LineInput!]
    tags: [String!]
    day: Date
    at: DateTime
  }
  type Thing @key(fields: "id") {
    id: ID!
    notes(search: String): [String!]!
    storedDay: Date
  }
  type Query {
    search(term: String, first: Int): [Thing!]! @access(public: true)
    day(date: Date!): Date! @access(public: true)
    at(at: DateTime!): DateTime! @access(public: true)
  }
  type Mutation {
    save(input: SaveInput!): Int! @access(public: true)
    note(id: ID!, text: String! @limit(maxLength: 10)): Int! @access(public: true)
  }
`;

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
}

describe('input policy on every subgraph argument (createSubgraph)', () => {
  let http: HttpServer;
  let url: string;
  /** What reached a resolver: a refused operation must never get there. */
  const seen: unknown[] = [];

  beforeAll(async () => {
    const subgraph = createSubgraph({
      typeDefs: parse(SDL),
      logger: pino({ level: 'silent' }),
      resolvers: {
        Date: DateScalar,
        DateTime: DateTimeScalar,
        Query: {
          search: (_: unknown, args: unknown) => {
            seen.push(args);
            return [{ id: 't-1', storedDay: '9999-12-31' }];
          },
          day: (_: unknown, { date }: { date: string }) => date,
          at: (_: unknown, { at }: { at: Date }) => at,
        },
        Thing: { notes: (_: unknown, args: unknown) => (seen.push(args), ['n']) },
        Mutation: {
          save: (_: unknown, args: unknown) => seen.push(args),
          note: (_: unknown, args: unknown) => seen.push(args),
        },
      },
    });
    http = createHttpServer({ logger: pino({ level: 'silent' }), graphql: subgraph });
    url = `http://127.0.0.1:${await http.listen('127.0.0.1', 0)}/graphql`;
  });
  afterAll(() => http.close(1000));
  beforeEach(() => {
    seen.length = 0;
  });

  async function gql(query: string, variables?: Record<string, unknown>) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as GraphQLBody };
  }

  const refusal = (body: GraphQLBody) => body.errors?.[0]?.extensions;
  const save = (input: Record<string, unknown>) =>
    gql('mutation ($input: SaveInput!) { save(input: $input) }', {
      input: { name: 'n', ...input },
    });

  it('refuses an impossible Date argument as BAD_USER_INPUT INVALID_DATE naming it, literal or variable (issue 11: 500 before)', async () => {
    const literal = await gql('{ day(date: "2026-12-32") }');
    expect(refusal(literal.body)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_DATE',
      field: 'date',
    });
    const variable = await gql('query ($d: Date!) { day(date: $d) }', { d: '2026-02-30' });
    expect(refusal(variable.body)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_DATE',
      field: 'date',
    });
    expect((await gql('{ day(date: "2024-02-29") }')).body).toEqual({
      data: { day: '2024-02-29' },
    });
  });

  it('refuses dates and instants outside 1900–2199 as DATE_OUT_OF_RANGE, and an impossible instant', async () => {
    expect(refusal((await gql('{ day(date: "9999-12-31") }')).body)).toMatchObject({
      reason: 'DATE_OUT_OF_RANGE',
      field: 'date',
    });
    expect(refusal((await gql('{ at(at: "2026-02-30T10:00:00Z") }')).body)).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_DATE',
      field: 'at',
    });
    expect(refusal((await save({ at: '9999-12-31T00:00:00Z' })).body)).toMatchObject({
      reason: 'DATE_OUT_OF_RANGE',
      field: 'at',
    });
    expect(seen).toEqual([]);
  });

  it('still shows a stored date far in the future (the range applies to input)', async () => {
    const { body } = await gql('{ search { storedDay } }');
    expect(body).toEqual({ data: { search: [{ storedDay: '9999-12-31' }] } });
  });

  it('refuses NUL and unpaired surrogates anywhere in a mutation input, naming the path, before the resolver runs', async () => {
    expect(refusal((await save({ name: 'Zhang\u0000Wei' })).body)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'TEXT_CONTAINS_NUL',
      field: 'name',
    });
    expect(
      refusal((await save({ lines: [{ note: 'ok' }, { note: 'broken \ud83d' }] })).body),
    ).toEqual({ code: 'BAD_USER_INPUT', reason: 'TEXT_INVALID_UNICODE', field: 'lines.1.note' });
    expect(refusal((await save({ tags: ['a', '\u0000'] })).body)).toMatchObject({
      reason: 'TEXT_CONTAINS_NUL',
      field: 'tags.1',
    });
    // A single value for a list is coerced into a list of one.
    expect(refusal((await save({ tags: '\u0000' })).body)).toMatchObject({ field: 'tags.0' });
    const literal = await gql('mutation { save(input: { name: "a\\u0000b" }) }');
    expect(refusal(literal.body)).toMatchObject({ reason: 'TEXT_CONTAINS_NUL', field: 'name' });
    expect(seen).toEqual([]);
  });

  it('limits mutation text to 2,000 characters unless @limit says otherwise (argument or input field)', async () => {
    expect(refusal((await save({ name: 'x'.repeat(2001) })).body)).toMatchObject({
      reason: 'TOO_LONG',
      field: 'name',
    });
    expect((await save({ name: 'x'.repeat(2000), story: 'y'.repeat(4000) })).body.errors).toBe(
      undefined,
    );
    expect(refusal((await save({ story: 'y'.repeat(4001) })).body)).toMatchObject({
      reason: 'TOO_LONG',
      field: 'story',
    });
    const note = await gql('mutation { note(id: "1", text: "eleven char") }');
    expect(refusal(note.body)).toMatchObject({ reason: 'TOO_LONG', field: 'text' });
  });

  it('limits a read argument (search term, nested field argument) to 200 characters; a megabyte is refused fast', async () => {
    const started = performance.now();
    const huge = await gql('query ($t: String) { search(term: $t) { id } }', {
      t: 'x'.repeat(1_000_000),
    });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(refusal(huge.body)).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'TOO_LONG',
      field: 'term',
    });
    expect(seen).toEqual([]);
    const nested = await gql('query ($s: String) { search { notes(search: $s) } }', {
      s: '\u0000',
    });
    expect(nested.body.errors?.[0]).toMatchObject({
      path: ['search', 0, 'notes'],
      extensions: { reason: 'TEXT_CONTAINS_NUL', field: 'search' },
    });
    expect((await gql('{ search(term: "张三") { id } }')).body.errors).toBe(undefined);
  });

  it('refuses @limit on anything but a text when the subgraph is built', () => {
    const bad = SDL.replace('quantity: Int }', 'quantity: Int @limit(maxLength: 3) }');
    expect(() =>
      createSubgraph({ typeDefs: parse(bad), resolvers: {}, logger: pino({ level: 'silent' }) }),
    ).toThrow(/only texts have a length/);
  });
});
