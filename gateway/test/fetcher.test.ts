import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { subgraphFetcher } from '../src/fetcher';

// A stand-in subgraph: echoes what it got, with the status and headers the test asks for.
let server: Server;
let url: string;
const connections = new Agent();
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const status = Number(req.headers['x-answer-status'] ?? 200);
      res.writeHead(status, {
        'content-type': 'application/json',
        'cache-control': 'max-age=5',
        'set-cookie': ['a=1', 'b=2'],
      });
      res.end(JSON.stringify({ method: req.method, seen: req.headers['x-seen'], body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await connections.close();
  await new Promise((resolve) => server.close(resolve));
});

it('sends method, headers and body, and answers with what Apollo reads of a Response', async () => {
  const fetcher = subgraphFetcher(connections);
  const answer = await fetcher(url, {
    method: 'POST',
    headers: { 'x-seen': 'yes', 'content-type': 'application/json' },
    body: '{"query":"{ a }"}',
  });
  expect(answer).toMatchObject({ ok: true, status: 200, url });
  expect(answer.headers.get('cache-control')).toBe('max-age=5');
  expect(answer.headers.get('content-type')).toBe('application/json');
  expect(answer.headers.get('set-cookie')).toBe('a=1, b=2');
  const expected = { method: 'POST', seen: 'yes', body: '{"query":"{ a }"}' };
  expect(await answer.json()).toEqual(expected);
  expect(JSON.parse(await answer.clone().text())).toEqual(expected);
});

it('answers a non-2xx status as not ok, its body still readable', async () => {
  const answer = await subgraphFetcher(connections)(url, {
    method: 'POST',
    headers: { 'x-answer-status': '503' },
    body: '',
  });
  expect(answer).toMatchObject({ ok: false, status: 503, statusText: 'Service Unavailable' });
  expect(await answer.json()).toMatchObject({ method: 'POST' });
});

it('rejects when the subgraph cannot be reached', async () => {
  await expect(
    subgraphFetcher(connections)('http://127.0.0.1:9/graphql', { method: 'POST' }),
  ).rejects.toThrow();
});
