import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'graphql';
import {
  checkGenerated,
  composeSupergraph,
  CompositionError,
  readSubgraphs,
  runCompose,
} from '../src/compose';
import { SUBGRAPHS } from '../src/subgraphs';
import { THINGS_SDL } from './fixtures';

const CUSTOMER_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { customer(id: ID!): Customer }
  type Customer @key(fields: "id") { id: ID! name: String! }
`;
const WORKORDER_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { workOrder(id: ID!): WorkOrder }
  type WorkOrder @key(fields: "id") { id: ID! customer: Customer! }
  type Customer @key(fields: "id") { id: ID! workOrders: [WorkOrder!]! }
`;

/** A throw-away repository root holding the given services' schema files. */
function repo(schemas: Record<string, string>): { root: string; file: string } {
  const root = mkdtempSync(join(tmpdir(), 'aftercare-compose-'));
  for (const [name, sdl] of Object.entries(schemas)) {
    const path = join(root, 'services', name, 'src', 'graphql', 'schema.graphql');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, sdl);
  }
  mkdirSync(join(root, 'gateway'));
  return { root, file: join(root, 'gateway', 'supergraph.graphql') };
}

describe('compose', () => {
  let log: jest.SpyInstance;
  let error: jest.SpyInstance;
  beforeEach(() => {
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    log.mockRestore();
    error.mockRestore();
  });

  it('lists the five subgraphs with their default ports in one place', () => {
    expect(SUBGRAPHS.map((s) => `${s.name} ${s.defaultUrl}`)).toEqual([
      'customer http://127.0.0.1:4101/graphql',
      'workorder http://127.0.0.1:4102/graphql',
      'inventory http://127.0.0.1:4103/graphql',
      'complaint http://127.0.0.1:4104/graphql',
      'survey http://127.0.0.1:4105/graphql',
    ]);
  });

  it('reads only the services whose schema file exists and composes them with their default URLs', () => {
    const { root } = repo({ customer: CUSTOMER_SDL, workorder: WORKORDER_SDL });
    const subgraphs = readSubgraphs(root);
    expect(subgraphs.map((s) => s.name)).toEqual(['customer', 'workorder']);
    const sdl = composeSupergraph(subgraphs);
    expect(sdl).toContain('join__graph(name: "customer", url: "http://127.0.0.1:4101/graphql")');
    expect(sdl).toContain('join__graph(name: "workorder", url: "http://127.0.0.1:4102/graphql")');
  });

  it('writes the supergraph and the client schema, and --check passes while they are current', () => {
    const { root, file } = repo({ customer: CUSTOMER_SDL });
    expect(runCompose([], root, file)).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('type Customer');
    // Beside it the client schema (issue 13): the same types without federation machinery.
    const schema = readFileSync(join(root, 'gateway', 'schema.graphql'), 'utf8');
    expect(schema).toContain('type Customer {');
    expect(schema).not.toContain('join__');
    expect(runCompose(['--check'], root, file)).toBe(0);
  });

  it('--check fails when the checked-in supergraph or client schema is stale or missing, without touching them', () => {
    const { root, file } = repo({ customer: CUSTOMER_SDL });
    expect(runCompose(['--check'], root, file)).toBe(1);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('the supergraph file is missing'));
    expect(error).toHaveBeenCalledWith(
      expect.stringContaining('gateway/schema.graphql: the client schema file is missing'),
    );

    runCompose([], root, file);
    const before = readFileSync(file, 'utf8');
    // Someone adds a field to the customer subgraph and forgets to recompose.
    writeFileSync(
      join(root, 'services', 'customer', 'src', 'graphql', 'schema.graphql'),
      CUSTOMER_SDL.replace('name: String!', 'name: String! grade: String'),
    );
    expect(runCompose(['--check'], root, file)).toBe(1);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('the supergraph file is stale'));
    expect(error).toHaveBeenLastCalledWith(
      expect.stringContaining('the client schema file is stale'),
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('checkGenerated compares the file with a fresh composition', () => {
    const composed = composeSupergraph([
      { name: 'things', url: 'http://127.0.0.1:1/graphql', typeDefs: parse(THINGS_SDL) },
    ]);
    expect(checkGenerated(composed, composed)).toEqual({ ok: true });
    expect(checkGenerated(composed.replace('seenRoles', 'seenRole'), composed)).toEqual({
      ok: false,
      problem: 'the supergraph file is stale',
    });
    expect(checkGenerated(null, composed)).toEqual({
      ok: false,
      problem: 'the supergraph file is missing',
    });
  });

  it('fails (exit 1) when subgraphs do not compose, naming the problem', () => {
    const clash = `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Query { other: Int }
      type Customer @key(fields: "id") { id: ID! name: Int! }`;
    expect(() =>
      composeSupergraph([
        { name: 'customer', url: 'http://a/graphql', typeDefs: parse(CUSTOMER_SDL) },
        { name: 'workorder', url: 'http://b/graphql', typeDefs: parse(clash) },
      ]),
    ).toThrow(CompositionError);

    const { root, file } = repo({ customer: CUSTOMER_SDL, workorder: clash });
    expect(runCompose(['--check'], root, file)).toBe(1);
    expect(runCompose([], root, file)).toBe(1);
    expect(error).toHaveBeenCalledWith(
      expect.stringMatching(/Supergraph composition failed:[\s\S]*Customer\.name/),
    );
  });

  it('fails with the file name when a schema does not parse, and when there is no schema at all', () => {
    const { root, file } = repo({ customer: 'type Query {' });
    expect(runCompose([], root, file)).toBe(1);
    expect(error).toHaveBeenLastCalledWith(
      expect.stringContaining('services/customer/src/graphql/schema.graphql: Syntax Error'),
    );

    const empty = repo({});
    expect(runCompose(['--check'], empty.root, empty.file)).toBe(1);
    expect(error).toHaveBeenLastCalledWith(expect.stringContaining('no subgraph schema found'));
  });
});
