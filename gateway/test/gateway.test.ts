import jwt from 'jsonwebtoken';
import { getIntrospectionQuery } from 'graphql';
import {
  createInternalAuth,
  generateKeyPairJwk,
  IDENTITY_HEADER,
  parseSigningKey,
  unavailable,
  type HttpServer,
} from '@aftercare/kit';
import { signDevToken } from '../src/dev-token';
import { bearer, query, SECRET, startGateway, startThingsSubgraph } from './fixtures';

describe('gateway', () => {
  let subgraph: Awaited<ReturnType<typeof startThingsSubgraph>>;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  const extra: HttpServer[] = [];
  const token = signDevToken({
    sub: 'alice',
    roles: ['agent', 'manager'],
    secret: SECRET,
    ttl: 60,
  });

  beforeAll(async () => {
    subgraph = await startThingsSubgraph();
    gateway = await startGateway(subgraph.url);
  });
  afterAll(async () => {
    await Promise.all([
      gateway.http.close(1000),
      subgraph.http.close(1000),
      ...extra.map((h) => h.close(1000)),
    ]);
  });

  it('answers a caller with a valid token and forwards the verified identity to the subgraph', async () => {
    const { status, body } = await query(
      gateway.url,
      '{ thing(id: "1") { id seenUserId seenRoles child { seenUserId } } }',
      bearer(token),
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      data: {
        thing: {
          id: '1',
          seenUserId: 'alice',
          seenRoles: ['agent', 'manager'],
          child: { seenUserId: 'alice' },
        },
      },
    });
  });

  it('drops unknown roles and the service role from tokens', async () => {
    const odd = jwt.sign({ roles: ['agent', 'wizard', 'service', 'agent'] }, SECRET, {
      subject: 'bob',
      expiresIn: 60,
    });
    const { body } = await query(
      gateway.url,
      '{ thing(id: "1") { seenUserId seenRoles } }',
      bearer(odd),
    );
    expect(body.data).toEqual({ thing: { seenUserId: 'bob', seenRoles: ['agent'] } });
  });

  it('does not forward an identity token forged by the client', async () => {
    const forged = await forgedIdentity();
    const { body } = await query(gateway.url, '{ thing(id: "1") { seenUserId seenRoles } }', {
      ...bearer(token),
      ...forged,
    });
    expect(body.data).toEqual({ thing: { seenUserId: 'alice', seenRoles: ['agent', 'manager'] } });

    const anonymous = await query(gateway.url, '{ thing(id: "1") { seenUserId } }', forged);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an anonymous operation with UNAUTHENTICATED (HTTP 401) before it reaches a subgraph', async () => {
    const before = subgraph.requests();
    const { status, body } = await query(gateway.url, '{ thing(id: "1") { id } }');
    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      {
        message: 'Authentication required: send "Authorization: Bearer <token>"',
        extensions: { code: 'UNAUTHENTICATED', reason: 'UNAUTHENTICATED' },
      },
    ]);
    expect(subgraph.requests()).toBe(before);
  });

  it('refuses a bad signature, an expired token and a malformed header with UNAUTHENTICATED saying why', async () => {
    const forgedSignature = signDevToken({
      sub: 'alice',
      roles: ['admin'],
      secret: 'another-secret-that-is-also-32-chars-long!!',
    });
    const bad = await query(gateway.url, '{ thing(id: "1") { id } }', bearer(forgedSignature));
    expect(bad.status).toBe(401);
    expect(bad.body.errors?.[0]).toMatchObject({
      message: 'The access token is invalid: invalid signature',
      extensions: { code: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' },
    });

    const expired = jwt.sign(
      { roles: ['agent'], exp: Math.floor(Date.now() / 1000) - 60 },
      SECRET,
      { subject: 'alice' },
    );
    const late = await query(gateway.url, '{ thing(id: "1") { id } }', bearer(expired));
    expect(late.body.errors?.[0]?.message).toMatch(/^The access token expired at \d{4}-/);
    expect(late.body.errors?.[0]?.extensions).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'TOKEN_EXPIRED',
    });

    const noneAlg = jwt.sign({ roles: ['admin'] }, '', { subject: 'eve', algorithm: 'none' });
    expect(
      (await query(gateway.url, '{ thing(id: "1") { id } }', bearer(noneAlg))).body.errors?.[0]
        ?.extensions?.reason,
    ).toBe('TOKEN_INVALID');

    const basic = await query(gateway.url, '{ thing(id: "1") { id } }', {
      authorization: 'Basic YWxpY2U6cHc=',
    });
    expect(basic.body.errors?.[0]?.extensions).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'MALFORMED_AUTHORIZATION',
    });
  });

  it('issue 11: refuses a token naming no known role (FORBIDDEN, 403) and one that never expires (401) before any subgraph is asked, public operations included', async () => {
    const open = await startGateway(subgraph.url, {
      publicRootFields: { query: ['thing'], mutation: [] },
    });
    extra.push(open.http);
    const before = subgraph.requests();
    for (const roles of [[], ['wizard'], ['service']]) {
      const roleless = jwt.sign({ roles }, SECRET, { subject: 'mallory', expiresIn: 60 });
      for (const url of [gateway.url, open.url]) {
        const { status, body } = await query(url, '{ thing(id: "1") { id } }', bearer(roleless));
        expect(status).toBe(403);
        expect(body.errors?.[0]?.extensions).toEqual({
          code: 'FORBIDDEN',
          reason: 'NO_KNOWN_ROLE',
        });
      }
    }
    const forever = jwt.sign({ roles: ['admin'] }, SECRET, { subject: 'mallory' });
    const { status, body } = await query(gateway.url, '{ thing(id: "1") { id } }', bearer(forever));
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'TOKEN_WITHOUT_EXPIRY',
    });
    expect(subgraph.requests()).toBe(before);
  });

  it('refuses a too-deep operation with QUERY_TOO_COMPLEX before it reaches a subgraph', async () => {
    const before = subgraph.requests();
    const deep = `{ thing(id: "1") { ${'child { '.repeat(8)}id${' }'.repeat(8)} } }`;
    const { status, body } = await query(gateway.url, deep, bearer(token));
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message: 'The operation nests fields deeper than 5 levels; nest fewer levels or split it',
      extensions: { code: 'QUERY_TOO_COMPLEX', reason: 'QUERY_TOO_DEEP' },
    });
    expect(subgraph.requests()).toBe(before);

    const fine = `{ thing(id: "1") { ${'child { '.repeat(3)}id${' }'.repeat(3)} } }`;
    expect((await query(gateway.url, fine, bearer(token))).body.errors).toBeUndefined();
  });

  it('refuses an operation costing too much (aliases and fragment expansions count)', async () => {
    const before = subgraph.requests();
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: thing(id: "${i}") { id }`).join(
      ' ',
    );
    const wide = await query(gateway.url, `{ ${aliases} }`, bearer(token));
    expect(wide.status).toBe(400);
    expect(wide.body.errors?.[0]?.extensions).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      reason: 'QUERY_TOO_COSTLY',
    });
    expect(wide.body.errors?.[0]?.message).toMatch(/^The operation would cost 60, more than 50 /);

    // Short text, but F is spread 9 times: 1 + 3 × (1 + 3 × (1 + 5)) = 58 fields once expanded.
    const fragments = `
      query { thing(id: "1") { ...L1 } }
      fragment L1 on Thing { a: child { ...L2 } b: child { ...L2 } c: child { ...L2 } }
      fragment L2 on Thing { a: child { ...F } b: child { ...F } c: child { ...F } }
      fragment F on Thing { id seenUserId seenRoles x: id y: id }`;
    expect(
      (await query(gateway.url, fragments, bearer(token))).body.errors?.[0]?.extensions?.reason,
    ).toBe('QUERY_TOO_COSTLY');
    expect(subgraph.requests()).toBe(before);
  });

  it('relays an AppError thrown in a subgraph with its code, reason and field', async () => {
    const input = await query(gateway.url, '{ failing(kind: "input") { id } }', bearer(token));
    expect(input.body.errors?.[0]).toMatchObject({
      message: 'mobile must have 11 digits',
      path: ['failing'],
      extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_MOBILE', field: 'contacts.0.mobile' },
    });
    const conflict = await query(
      gateway.url,
      '{ failing(kind: "conflict") { id } }',
      bearer(token),
    );
    expect(conflict.body.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'SIGNATURE_BEFORE_COMPLETION',
    });
  });

  it('keeps unexpected subgraph errors masked all the way to the client', async () => {
    const { body } = await query(gateway.url, '{ failing(kind: "bug") { id } }', bearer(token));
    expect(body.errors?.[0]).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });

  it('answers SERVICE_UNAVAILABLE when a subgraph cannot be reached', async () => {
    const down = await startGateway('http://127.0.0.1:9/graphql');
    extra.push(down.http);
    const { body } = await query(down.url, '{ thing(id: "1") { id } }', bearer(token));
    expect(body.errors?.[0]).toMatchObject({
      message: 'The things service is unavailable; try again shortly',
      extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'UNAVAILABLE' },
    });
  });

  it("relays a subgraph's refusal to build its context, e.g. its database being down", async () => {
    const broken = await startThingsSubgraph(unavailable('The customer database is unavailable'));
    const front = await startGateway(broken.url);
    extra.push(broken.http, front.http);
    const { body } = await query(front.url, '{ thing(id: "1") { id } }', bearer(token));
    expect(body.errors?.[0]).toMatchObject({
      message: 'The customer database is unavailable',
      extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'UNAVAILABLE' },
    });
  });

  it('lets anonymous callers introspect only when ALLOW_INTROSPECTION is on', async () => {
    const introspection = getIntrospectionQuery();
    const closed = await query(gateway.url, introspection);
    expect(closed.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const closedEvenWithToken = await query(
      gateway.url,
      '{ __schema { queryType { name } } }',
      bearer(token),
    );
    expect(closedEvenWithToken.body.errors?.[0]?.extensions?.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );

    const dev = await startGateway(subgraph.url, {
      allowIntrospection: true,
      limits: { maxCost: 1000 },
    });
    extra.push(dev.http);
    const open = await query(dev.url, introspection);
    expect(open.body.errors).toBeUndefined();
    expect(JSON.stringify(open.body.data)).toContain('"Thing"');
    const sneaky = await query(dev.url, '{ __typename thing(id: "1") { id } }');
    expect(sneaky.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('admits an anonymous operation only when every root field is on the public allow-list, without any identity', async () => {
    const open = await startGateway(subgraph.url, {
      publicRootFields: { query: ['thing'], mutation: [] },
    });
    extra.push(open.http);
    const forged = await forgedIdentity();
    const allowed = await query(open.url, '{ thing(id: "1") { id seenUserId seenRoles } }', forged);
    expect(allowed.body).toEqual({ data: { thing: { id: '1', seenUserId: null, seenRoles: [] } } });
    const before = subgraph.requests();
    const mixed = await query(open.url, '{ thing(id: "1") { id } failing(kind: "input") { id } }');
    expect(mixed.status).toBe(401);
    expect(mixed.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const other = await query(open.url, '{ failing(kind: "input") { id } }');
    expect(other.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(subgraph.requests()).toBe(before);
    // The default allow-list (survey links) has no `thing`.
    const closed = await query(gateway.url, '{ thing(id: "1") { id } }');
    expect(closed.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('R-SV-1 anonymous public access cannot be stretched: __typename alone, batches, GET, operation names, aliases', async () => {
    const open = await startGateway(subgraph.url, {
      publicRootFields: { query: ['thing'], mutation: [] },
    });
    extra.push(open.http);
    const before = subgraph.requests();
    const refused = (r: { status: number; body: { errors?: { extensions?: unknown }[] } }) =>
      r.status === 401 &&
      (r.body.errors?.[0]?.extensions as { code?: string })?.code === 'UNAUTHENTICATED';
    // An operation of __typename alone names no public field.
    expect(refused(await query(open.url, '{ __typename }'))).toBe(true);
    // An alias named like the public field on a private one; a private operation named like it.
    expect(refused(await query(open.url, '{ thing: failing(kind: "input") { id } }'))).toBe(true);
    expect(refused(await query(open.url, 'query thing { failing(kind: "input") { id } }'))).toBe(
      true,
    );
    // Picking the public operation by name does not admit the private one next to it.
    const named = await fetch(open.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query A { thing(id: "1") { id } } query B { failing(kind: "input") { id } }',
        operationName: 'A',
      }),
    });
    expect(named.status).toBe(401);
    // A batch (an array body) is never read as public: refused, whatever it holds.
    const batch = await fetch(open.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { query: '{ thing(id: "1") { id } }' },
        { query: '{ failing(kind: "input") { id } }' },
      ]),
    });
    expect(batch.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(await batch.json())).not.toContain('"thing"');
    // A GET is checked on its query parameter like a POST body.
    const csrf = { 'apollo-require-preflight': 'true' };
    const get = (q: string) =>
      fetch(`${open.url}?query=${encodeURIComponent(q)}`, { headers: csrf });
    expect((await get('{ failing(kind: "input") { id } }')).status).toBe(401);
    expect((await get('{ __typename }')).status).toBe(401);
    // A second `query` parameter cannot smuggle a private operation behind a public first one.
    const twice = await fetch(
      `${open.url}?query=${encodeURIComponent('{ thing(id: "1") { id } }')}&query=${encodeURIComponent('{ failing(kind: "input") { id } }')}`,
      { headers: csrf },
    );
    expect(twice.status).toBe(400);
    // Nor a query that is not a string.
    const odd = await fetch(open.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: ['{ thing(id: "1") { id } }'] }),
    });
    expect(odd.status).toBe(401);
    expect(subgraph.requests()).toBe(before);
    const publicGet = await get('{ thing(id: "1") { id seenUserId } }');
    expect(await publicGet.json()).toEqual({ data: { thing: { id: '1', seenUserId: null } } });
  });

  it('serves health and readiness next to /graphql, and metrics only on the admin port (issue 11)', async () => {
    const base = gateway.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await query(gateway.url, '{ thing(id: "1") { id } }', bearer(token))).status).toBe(200);
    const publicMetrics = await fetch(`${base}/metrics`);
    expect(publicMetrics.status).toBe(404);
    expect(await publicMetrics.text()).not.toContain('http_server_request_duration_seconds');

    const adminPort = await gateway.http.listenAdmin('127.0.0.1', 0);
    const admin = `http://127.0.0.1:${adminPort}`;
    expect(await (await fetch(`${admin}/metrics`)).text()).toMatch(
      /http_server_request_duration_seconds_count\{http_route="\/graphql",http_request_method="POST",http_response_status_code="200"\} \d+/,
    );
    expect((await fetch(`${admin}/healthz`)).status).toBe(200);
    expect((await fetch(`${admin}/readyz`)).status).toBe(200);
    const noGraphQL = await fetch(`${admin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify({ query: '{ thing(id: "1") { id } }' }),
    });
    expect(noGraphQL.status).toBe(404);
  });
});

/** An identity header as an attacker would make it: a well-formed token signed by their own key. */
async function forgedIdentity(): Promise<Record<string, string>> {
  const mallory = createInternalAuth({
    name: 'gateway',
    signingKey: parseSigningKey(JSON.stringify(generateKeyPairJwk().privateJwk)),
    trustedKeys: new Map(),
  });
  return {
    [IDENTITY_HEADER]: await mallory.sign({ userId: 'mallory', roles: ['admin'] }, 'things'),
  };
}
