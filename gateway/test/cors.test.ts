import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { signDevToken } from '../src/dev-token';
import { SECRET, startGateway, startThingsSubgraph, type TestGatewayOptions } from './fixtures';

const APP = 'https://dispatch.example.com';
const DEV = 'http://localhost:5173';
const STRANGER = 'https://evil.example.net';
const THING = JSON.stringify({ query: '{ thing(id: "1") { id seenUserId } }' });
const token = signDevToken({ sub: 'alice', roles: ['agent'], secret: SECRET, ttl: 60 });

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request: browsers send `Origin` and `OPTIONS` freely, and so must the test. */
function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const preflight = (url: string, origin: string) =>
  send(url, 'OPTIONS', {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'authorization, content-type',
  });
const post = (url: string, origin: string, headers: Record<string, string> = {}) =>
  send(url, 'POST', { origin, 'content-type': 'application/json', ...headers }, THING);
const corsHeadersOf = (answer: Answer) =>
  Object.keys(answer.headers).filter((h) => h.startsWith('access-control-'));

describe('CORS at the gateway (issue 13)', () => {
  let subgraph: Awaited<ReturnType<typeof startThingsSubgraph>>;
  const gateways: Array<{ http: { close(ms: number): Promise<void> } }> = [];
  beforeAll(async () => {
    subgraph = await startThingsSubgraph();
  });
  afterAll(() =>
    Promise.all([subgraph.http.close(1000), ...gateways.map((g) => g.http.close(1000))]),
  );
  const gatewayWith = async (options: TestGatewayOptions) => {
    const gateway = await startGateway(subgraph.url, options);
    gateways.push(gateway);
    return gateway.url;
  };
  const allowList = { cors: { origins: [APP, DEV] } };

  it('answers the preflight of a listed origin: its origin, GET and POST, the front ends’ headers, max age, no credentials', async () => {
    const url = await gatewayWith(allowList);
    for (const origin of [APP, DEV]) {
      const answer = await preflight(url, origin);
      expect(answer.status).toBe(204);
      expect(answer.headers).toMatchObject({
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'GET,POST',
        'access-control-allow-headers':
          'content-type,authorization,apollo-require-preflight,x-apollo-operation-name,traceparent,tracestate',
        'access-control-max-age': '600',
      });
      expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
      expect(answer.headers.vary).toMatch(/origin/i);
    }
  });

  it('gives an unlisted origin no Access-Control-Allow-Origin, on the preflight or the request, so its browser refuses', async () => {
    const url = await gatewayWith(allowList);
    const answer = await preflight(url, STRANGER);
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    // Origins are matched exactly: no prefix, suffix, other scheme or port slips through.
    for (const near of [
      'https://dispatch.example.com.evil.net',
      'http://dispatch.example.com',
      'http://localhost:5174',
      'null',
    ]) {
      expect((await preflight(url, near)).headers['access-control-allow-origin']).toBeUndefined();
    }
    const request = await post(url, STRANGER, { authorization: `Bearer ${token}` });
    expect(request.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('puts the origin and the exposed Retry-After on answers, refusals included, so a browser app can read them', async () => {
    const url = await gatewayWith(allowList);
    const ok = await post(url, APP, { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ data: { thing: { id: '1', seenUserId: 'alice' } } });
    expect(ok.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-expose-headers': 'retry-after',
    });
    const anonymous = await post(url, APP);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['access-control-allow-origin']).toBe(APP);
    const notJson = await send(
      url,
      'POST',
      { origin: APP, 'content-type': 'application/json' },
      '{',
    );
    expect(notJson.status).toBe(400);
    expect(notJson.headers['access-control-allow-origin']).toBe(APP);
  });

  it('ADR 0011: preflights count against no rate limit, and a 429 is readable cross-origin with its Retry-After', async () => {
    const url = await gatewayWith({
      ...allowList,
      rateLimit: {
        user: { perSecond: 1000, burst: 1000 },
        address: { perSecond: 0.1, burst: 2 },
      },
    });
    for (let i = 0; i < 10; i += 1) expect((await preflight(url, APP)).status).toBe(204);
    const authorization = `Bearer ${token}`;
    expect((await post(url, APP, { authorization })).status).toBe(200);
    expect((await post(url, APP, { authorization })).status).toBe(200);
    const limited = await post(url, APP, { authorization });
    expect(limited.status).toBe(429);
    expect(limited.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-expose-headers': 'retry-after',
      'retry-after': '10',
    });
    // Still answered once the bucket is empty: a preflight is not a GraphQL request.
    expect((await preflight(url, APP)).status).toBe(204);
  });

  it('without CORS_ORIGINS sends no CORS header at all: the preflight is answered 204 with Allow only', async () => {
    const url = await gatewayWith({});
    const answer = await preflight(url, APP);
    expect(answer.status).toBe(204);
    expect(answer.headers.allow).toBe('GET, POST, OPTIONS');
    expect(corsHeadersOf(answer)).toEqual([]);
    const request = await post(url, APP, { authorization: `Bearer ${token}` });
    expect(request.status).toBe(200);
    expect(corsHeadersOf(request)).toEqual([]);
  });
});
