import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { signDevToken } from '../src/dev-token';
import { bearer, query, SECRET, startGateway } from './fixtures';

// A stand-in subgraph that answers every query with one thing and keeps its connections alive,
// as the services do, counting the sockets the gateway holds open to it.
let subgraph: Server;
let url: string;
const open = new Set<Socket>();
beforeAll(async () => {
  subgraph = createServer((req, res) => {
    req.resume().on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { thing: { id: '1' } } }));
    });
  });
  subgraph.keepAliveTimeout = 60_000;
  subgraph.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise((resolve) => subgraph.close(resolve)));

const token = signDevToken({ sub: 'alice', roles: ['dispatcher'], secret: SECRET, ttl: 60 });

it('closes its kept-alive connections to the subgraphs at shutdown, after the server drained', async () => {
  const gateway = await startGateway(url);
  const { body } = await query(gateway.url, '{ thing(id: "1") { id } }', bearer(token));
  expect(body).toEqual({ data: { thing: { id: '1' } } });
  expect(open.size).toBe(1);
  await gateway.http.close(1000);
  // Kept alive until the gateway says it leaves.
  expect(open.size).toBe(1);
  await gateway.closeSubgraphConnections();
  for (let waited = 0; open.size > 0 && waited < 2000; waited += 20)
    await new Promise((resolve) => setTimeout(resolve, 20));
  expect(open.size).toBe(0);
});
