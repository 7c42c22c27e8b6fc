import { join } from 'node:path';
import { startNatsServer } from '../nats';
import type { Persistence, StartedServer } from './started';

const NATS_IMAGE = 'nats:2.11-alpine';
const CLIENT_PORT = 4222;

/**
 * NATS with JetStream in a container. A plain GenericContainer rather than @testcontainers/nats:
 * that module always sets a user and password, and NATS_URL carries no credentials here.
 */
export async function startNatsContainer(persistence: Persistence): Promise<StartedServer> {
  const { GenericContainer, Wait } = await import('testcontainers');
  let container = new GenericContainer(NATS_IMAGE)
    .withExposedPorts(CLIENT_PORT)
    .withWaitStrategy(Wait.forLogMessage(/Server is ready/));
  container =
    persistence.kind === 'kept'
      ? container
          .withCommand(['-js', '-sd', '/data'])
          .withBindMounts([{ source: persistence.volume('nats'), target: '/data' }])
      : container.withCommand(['-js']);
  const started = await container.start();
  return {
    url: `nats://${started.getHost()}:${started.getMappedPort(CLIENT_PORT)}`,
    stop: async () => void (await started.stop()),
  };
}

export async function startNatsFromPath(persistence: Persistence): Promise<StartedServer> {
  const server =
    persistence.kind === 'kept'
      ? await startNatsServer({
          port: persistence.natsPort,
          storeDir: join(persistence.dataDir, 'nats'),
          detached: true,
        })
      : await startNatsServer();
  return { url: server.url, stop: () => server.dispose() };
}
