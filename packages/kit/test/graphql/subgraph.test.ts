import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import pino from 'pino';
import { requireRole, type Identity } from '../../src/auth';
import { AppError, invalidArgument, notFound } from '../../src/errors';
import { currentIdentity } from '../../src/grpc/context';
import {
  createSubgraph,
  INTERNAL_ERROR_MESSAGE,
  loadTypeDefs,
  type SubgraphContext,
} from '../../src/graphql';
import { createHttpServer, type HttpServer } from '../../src/http';
import {
  createInternalAuth,
  gatewayAuthenticator,
  generateKeyPairJwk,
  IDENTITY_HEADER,
  parseSigningKey,
} from '../../src/internal-auth';
import { authAs, gatewayHeader } from '../internal-auth/support';

const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  directive @access(roles: [String!], public: Boolean) on FIELD_DEFINITION
  type Query {
    me: String @access(public: true)
    agentsOnly: String @access(roles: ["agent"])
    failWith(kind: String!): String @access(public: true)
    tenant: String @access(public: true)
    identityInScope: String @access(public: true)
  }
  type Thing @key(fields: "id") { id: ID! name: String }
`;

interface GraphQLBody {
  data?: Record<string, unknown>;
  errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
}

interface Ctx extends SubgraphContext {
  tenant: string;
}

function schemaFile(sdl: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kit-graphql-'));
  const file = join(dir, 'schema.graphql');
  writeFileSync(file, sdl);
  return file;
}

describe('createSubgraph', () => {
  const logLines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'error' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(JSON.parse(chunk.toString()));
        done();
      },
    }),
  );
  let http: HttpServer;
  let url: string;

  beforeAll(async () => {
    const subgraph = createSubgraph<Ctx>({
      typeDefs: loadTypeDefs(schemaFile(SDL)),
      logger,
      context: (base) => ({ ...base, tenant: 'north' }),
      resolvers: {
        Query: {
          me: (_: unknown, __: unknown, ctx: Ctx) =>
            ctx.identity ? `${ctx.identity.userId}:${ctx.identity.roles.join('+')}` : null,
          agentsOnly: (_: unknown, __: unknown, ctx: Ctx) =>
            requireRole(ctx.identity, 'agent').userId,
          tenant: (_: unknown, __: unknown, ctx: Ctx) => ctx.tenant,
          identityInScope: () => currentIdentity()?.userId ?? null,
          failWith: async (_: unknown, { kind }: { kind: string }) => {
            if (kind === 'database')
              await new Client({ host: '127.0.0.1', port: 1, user: 'nobody' }).connect();
            if (kind === 'input')
              throw invalidArgument(
                'mobile must have 11 digits',
                'contacts.0.mobile',
                'INVALID_MOBILE',
              );
            if (kind === 'notFound') throw notFound('Customer', 'c-1');
            if (kind === 'conflict')
              throw new AppError('FAILED_PRECONDITION', 'Too late', {
                reason: 'SIGNATURE_BEFORE_COMPLETION',
              });
            if (kind === 'internal') throw new AppError('INTERNAL', 'ledger row 42 corrupt');
            throw new Error('connection to 10.0.0.3 refused');
          },
        },
        Thing: {
          __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: `thing ${ref.id}` }),
        },
      },
    });
    http = createHttpServer({
      logger,
      graphql: { ...subgraph, authenticate: gatewayAuthenticator(authAs('things'), 'things') },
    });
    url = `http://127.0.0.1:${await http.listen('127.0.0.1', 0)}/graphql`;
  });
  afterAll(() => http.close(1000));

  /** A request relayed by the gateway for `caller` (default anonymous). */
  async function gql(
    query: string,
    caller: Identity | null = null,
    variables?: Record<string, unknown>,
  ) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await gatewayHeader(caller)) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as GraphQLBody };
  }

  it("reads the identity from the gateway's token", async () => {
    const { body } = await gql('{ me }', { userId: 'alice', roles: ['agent', 'manager'] });
    expect(body.data).toEqual({ me: 'alice:agent+manager' });
    expect((await gql('{ me }')).body.data).toEqual({ me: null });
  });

  it('builds the per-request context with the service hook and runs resolvers in the identity scope', async () => {
    const { body } = await gql('{ tenant identityInScope }', { userId: 'bob', roles: [] });
    expect(body.data).toEqual({ tenant: 'north', identityInScope: 'bob' });
  });

  it('maps requireRole failures to UNAUTHENTICATED and FORBIDDEN', async () => {
    const anonymous = await gql('{ agentsOnly }');
    expect(anonymous.body.errors?.[0]?.extensions).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'UNAUTHENTICATED',
    });
    const wrongRole = await gql('{ agentsOnly }', { userId: 'carol', roles: ['auditor'] });
    expect(wrongRole.body.errors?.[0]).toMatchObject({
      message: 'This needs one of the roles: agent',
      path: ['agentsOnly'],
      extensions: { code: 'FORBIDDEN', reason: 'FORBIDDEN' },
    });
  });

  it('maps AppError codes with reason, and the field for bad input', async () => {
    const input = await gql('{ failWith(kind: "input") }');
    expect(input.body.errors?.[0]).toMatchObject({
      message: 'mobile must have 11 digits',
      extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_MOBILE', field: 'contacts.0.mobile' },
    });
    const missing = await gql('{ failWith(kind: "notFound") }');
    expect(missing.body.errors?.[0]?.extensions).toEqual({
      code: 'NOT_FOUND',
      reason: 'CUSTOMER_NOT_FOUND',
    });
    const conflict = await gql('{ failWith(kind: "conflict") }');
    expect(conflict.body.errors?.[0]?.extensions).toEqual({
      code: 'CONFLICT',
      reason: 'SIGNATURE_BEFORE_COMPLETION',
    });
  });

  it('answers a database outage SERVICE_UNAVAILABLE with a reason, not an internal error (issue 17)', async () => {
    const { body } = await gql('{ failWith(kind: "database") }');
    expect(body.errors?.[0]).toMatchObject({
      message: 'the database is unavailable; try again shortly',
      extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'DATABASE_UNAVAILABLE' },
    });
  });

  it('masks unexpected errors and logs them with the error id given to the client', async () => {
    for (const kind of ['boom', 'internal']) {
      logLines.length = 0;
      const { body } = await gql(`{ failWith(kind: "${kind}") }`);
      const error = body.errors?.[0];
      expect(error?.message).toBe(INTERNAL_ERROR_MESSAGE);
      expect(error?.extensions).toEqual({
        code: 'INTERNAL_SERVER_ERROR',
        errorId: expect.any(String),
      });
      expect(JSON.stringify(body)).not.toMatch(/10\.0\.0\.3|ledger/);
      expect(logLines).toEqual([
        expect.objectContaining({
          errorId: error?.extensions?.errorId,
          err: expect.objectContaining({ message: expect.any(String) }),
        }),
      ]);
    }
  });

  it("keeps Apollo's own codes for parse, validation and variable errors", async () => {
    expect((await gql('{ me ')).body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await gql('{ nope }')).body.errors?.[0]?.extensions?.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    const vars = await gql('query($k: String!) { failWith(kind: $k) }', null, { k: 3 });
    expect(vars.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('is a federation subgraph: _service and _entities answer', async () => {
    const sdl = await gql('{ _service { sdl } }');
    expect(sdl.body.data?._service).toEqual({ sdl: expect.stringContaining('type Thing') });
    const entities = await gql(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Thing { id name } } }',
      null,
      {
        r: [{ __typename: 'Thing', id: '7' }],
      },
    );
    expect(entities.body.data).toEqual({ _entities: [{ id: '7', name: 'thing 7' }] });
  });

  it('keeps CSRF prevention: a simple-content-type POST without a preflight header is refused', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...(await gatewayHeader(null)) },
      body: '{"query":"{ me }"}',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/Cross-Site Request Forgery/);
    const get = await fetch(`${url}?query=${encodeURIComponent('{ tenant }')}`, {
      headers: { 'apollo-require-preflight': 'true', ...(await gatewayHeader(null)) },
    });
    expect(await get.json()).toEqual({ data: { tenant: 'north' } });
  });
  it('issue 11: refuses a subscription and a document whose operation cannot be picked with 400 and a reason, not an internal error', async () => {
    const post = async (body: Record<string, unknown>) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await gatewayHeader(null)) },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as GraphQLBody };
    };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ query: 'subscription { tenant }' }, 'SUBSCRIPTION_NOT_SUPPORTED'],
      [{ query: 'query A { tenant } query B { me }' }, 'OPERATION_NAME_REQUIRED'],
      [{ query: 'query A { tenant }', operationName: 'B' }, 'UNKNOWN_OPERATION_NAME'],
    ];
    for (const [body, reason] of cases) {
      const answer = await post(body);
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.extensions).toEqual({
        code: 'OPERATION_RESOLUTION_FAILURE',
        reason,
      });
    }
    expect(
      (await post({ query: 'query A { tenant } query B { me }', operationName: 'A' })).body,
    ).toEqual({ data: { tenant: 'north' } });
  });

  describe('answers only the gateway (ADR 0010)', () => {
    const post = async (headers: Record<string, string>) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ me _service { sdl } }' }),
      });
      return { status: res.status, body: (await res.json()) as GraphQLBody };
    };
    const refusal = (reason: string) => ({
      status: 401,
      body: {
        errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED', reason } }],
      },
    });

    it('refuses a request without an identity token before parsing it', async () => {
      expect(await post({})).toEqual(refusal('IDENTITY_MISSING'));
      // The identity headers of old, trusted by earlier versions, mean nothing now.
      expect(
        await post({ 'x-aftercare-user-id': 'mallory', 'x-aftercare-user-roles': 'admin' }),
      ).toEqual(refusal('IDENTITY_MISSING'));
    });

    it('refuses a token made for another subgraph, signed by a service, or signed by a stranger', async () => {
      const admin: Identity = { userId: 'mallory', roles: ['admin'] };
      expect(await post(await gatewayHeader(admin, 'customer'))).toEqual(
        refusal('IDENTITY_WRONG_AUDIENCE'),
      );
      const fromService = { [IDENTITY_HEADER]: await authAs('caller').sign(admin, 'things') };
      expect(await post(fromService)).toEqual(refusal('IDENTITY_SIGNER_REFUSED'));
      const stranger = createInternalAuth({
        name: 'gateway',
        signingKey: parseSigningKey(JSON.stringify(generateKeyPairJwk().privateJwk)),
        trustedKeys: new Map(),
      });
      expect(await post({ [IDENTITY_HEADER]: await stranger.sign(admin, 'things') })).toEqual(
        refusal('IDENTITY_UNKNOWN_KEY'),
      );
      expect(await post({ [IDENTITY_HEADER]: 'garbage' })).toEqual(refusal('IDENTITY_MALFORMED'));
    });
  });
});

describe('loadTypeDefs', () => {
  it('names the file when the SDL does not parse', () => {
    const file = schemaFile('type Query {');
    expect(() => loadTypeDefs(file)).toThrow(`Cannot parse GraphQL schema ${file}`);
  });
});
