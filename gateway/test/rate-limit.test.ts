import type { IncomingMessage } from 'node:http';
import { signDevToken } from '../src/dev-token';
import { clientAddress, type RateLimitSettings } from '../src/rate-limit';
import { bearer, query, SECRET, startGateway, startThingsSubgraph } from './fixtures';

const tokenOf = (sub: string) => signDevToken({ sub, roles: ['agent'], secret: SECRET, ttl: 60 });
const THING = '{ thing(id: "1") { id } }';
const plenty = { perSecond: 1000, burst: 1000 };

describe('rate limits (issue 11)', () => {
  let subgraph: Awaited<ReturnType<typeof startThingsSubgraph>>;
  const gateways: Array<{ http: { close(ms: number): Promise<void> } }> = [];
  beforeAll(async () => {
    subgraph = await startThingsSubgraph();
  });
  afterAll(() =>
    Promise.all([subgraph.http.close(1000), ...gateways.map((g) => g.http.close(1000))]),
  );

  const gatewayWith = async (rateLimit: RateLimitSettings) => {
    const gateway = await startGateway(subgraph.url, { rateLimit });
    gateways.push(gateway);
    return gateway;
  };
  const post = async (url: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: THING }),
    });
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: (await res.json()) as {
        data?: unknown;
        errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
      },
    };
  };

  it('issue 11: answers a user past their bucket with 429, Retry-After and RATE_LIMITED, before any subgraph is asked; other users go on', async () => {
    const gateway = await gatewayWith({ user: { perSecond: 0.05, burst: 2 }, address: plenty });
    const alice = bearer(tokenOf('alice'));
    expect((await post(gateway.url, alice)).status).toBe(200);
    expect((await post(gateway.url, alice)).status).toBe(200);
    const before = subgraph.requests();
    const third = await post(gateway.url, alice);
    expect(third.status).toBe(429);
    // One request comes back every 20 s at 0.05 per second.
    expect(third.retryAfter).toBe('20');
    expect(third.body).toEqual({
      errors: [
        {
          message: 'Too many requests; try again in 20 s',
          extensions: { code: 'RATE_LIMITED', reason: 'USER_RATE_LIMITED', retryAfterSeconds: 20 },
        },
      ],
    });
    expect(subgraph.requests()).toBe(before);
    expect((await post(gateway.url, bearer(tokenOf('bob')))).status).toBe(200);
  });

  it('refills the bucket over time (a token bucket, not a window)', async () => {
    const gateway = await gatewayWith({ user: { perSecond: 1, burst: 1 }, address: plenty });
    const carol = bearer(tokenOf('carol'));
    expect((await post(gateway.url, carol)).status).toBe(200);
    const refused = await post(gateway.url, carol);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe('1');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await post(gateway.url, carol)).status).toBe(200);
  });

  it('issue 11: limits a client address across users and anonymous callers, before the token is even checked', async () => {
    const gateway = await gatewayWith({ user: plenty, address: { perSecond: 0.05, burst: 3 } });
    expect((await post(gateway.url, bearer(tokenOf('dan')))).status).toBe(200);
    expect((await post(gateway.url, bearer(tokenOf('erin')))).status).toBe(200);
    expect((await post(gateway.url)).status).toBe(401);
    const forged = await post(gateway.url, { authorization: 'Bearer guessed.token.here' });
    expect(forged.status).toBe(429);
    expect(forged.retryAfter).toBe('20');
    expect(forged.body.errors?.[0]?.extensions).toEqual({
      code: 'RATE_LIMITED',
      reason: 'ADDRESS_RATE_LIMITED',
      retryAfterSeconds: 20,
    });
    expect((await post(gateway.url, bearer(tokenOf('frank')))).status).toBe(429);
  });

  it('issue 11: believes X-Forwarded-For only from trusted proxies', async () => {
    const address = { perSecond: 0.01, burst: 1 };
    const untrusting = await gatewayWith({ user: plenty, address });
    const me = bearer(tokenOf('gina'));
    expect((await post(untrusting.url, { ...me, 'x-forwarded-for': '203.0.113.1' })).status).toBe(
      200,
    );
    // Another claimed address changes nothing: the header is anyone's to write.
    expect((await post(untrusting.url, { ...me, 'x-forwarded-for': '203.0.113.2' })).status).toBe(
      429,
    );

    const behindProxy = await gatewayWith({ user: plenty, address, trustedProxies: ['loopback'] });
    const from = (chain: string) => post(behindProxy.url, { ...me, 'x-forwarded-for': chain });
    expect((await from('203.0.113.1')).status).toBe(200);
    expect((await from('203.0.113.2')).status).toBe(200);
    expect((await from('203.0.113.1')).status).toBe(429);
    // A client writing its own entries in front of the proxy's gains nothing: the proxy's counts.
    expect((await from('198.51.100.7, 203.0.113.2')).status).toBe(429);

    const oneHop = await gatewayWith({ user: plenty, address, trustedProxies: 1 });
    expect(
      (await post(oneHop.url, { ...me, 'x-forwarded-for': '198.51.100.7, 203.0.113.9' })).status,
    ).toBe(200);
    expect((await post(oneHop.url, { ...me, 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);
  });

  it('is off when no rate limit is configured', async () => {
    const gateway = await startGateway(subgraph.url);
    gateways.push(gateway);
    const hank = bearer(tokenOf('hank'));
    for (let i = 0; i < 60; i++) expect((await query(gateway.url, THING, hank)).status).toBe(200);
  });
});

describe('clientAddress', () => {
  const req = (remoteAddress: string, forwarded?: string) =>
    ({
      socket: { remoteAddress },
      connection: { remoteAddress },
      headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
    }) as unknown as IncomingMessage;

  it('reads IPv4-mapped IPv6 as IPv4, and an IPv6 client by its /64 (one subscriber is given a /64)', () => {
    expect(clientAddress(req('::ffff:192.0.2.4'))).toBe('192.0.2.4');
    expect(clientAddress(req('2001:db8:1:2:aaaa::1'))).toBe('2001:db8:1:2::/64');
    expect(clientAddress(req('2001:db8:1:2:bbbb::9'))).toBe('2001:db8:1:2::/64');
    expect(clientAddress(req('2001:db8:1:3::1'))).toBe('2001:db8:1:3::/64');
  });

  it('takes the nearest untrusted X-Forwarded-For entry, and only behind trusted proxies', () => {
    expect(clientAddress(req('10.0.0.5', '198.51.100.7, 203.0.113.9'))).toBe('10.0.0.5');
    expect(clientAddress(req('10.0.0.5', '198.51.100.7, 203.0.113.9'), ['10.0.0.0/8'])).toBe(
      '203.0.113.9',
    );
    expect(clientAddress(req('10.0.0.5', '198.51.100.7, 203.0.113.9'), 2)).toBe('198.51.100.7');
    expect(clientAddress(req('10.0.0.5', 'garbage'), 1)).toBe('unknown');
  });
});
