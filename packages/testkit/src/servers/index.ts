import { chooseServers, describeChoice, type Probes, type ServerWishes } from './choice';
import { startNatsContainer, startNatsFromPath } from './nats';
import { startEmbeddedPostgres, startPostgresContainer } from './postgres';
import type { Persistence, StartedServer } from './started';

export * from './choice';
export { probesFromEnv, wishesFromEnv } from './env';
export { machineProbes } from './probes';
export type { Persistence } from './started';

export interface ProvidedServers {
  pgUrl: string;
  natsUrl: string;
  /** The line saying which servers are used (already logged). */
  description: string;
  /** Stops what was started here (nothing for servers that were given or already running). */
  stop(): Promise<void>;
}

/**
 * Chooses the servers (ADR 0023), starts those that are not running yet and logs one line
 * saying which are used. Throws with the missing server and how to provide it.
 */
export async function provideServers(
  wishes: ServerWishes,
  probes: Probes,
  persistence: Persistence,
  log: (line: string) => void,
): Promise<ProvidedServers> {
  const choice = await chooseServers(wishes, probes);
  if (!choice.ok) throw new Error(choice.missing);
  const started: StartedServer[] = [];
  const stop = async () => {
    await Promise.allSettled(started.splice(0).map((s) => s.stop()));
  };
  const start = async (server: Promise<StartedServer>) => {
    const s = await server;
    started.push(s);
    return s.url;
  };
  const { postgres, nats } = choice;
  // Both start at once; when one fails the other is still stopped once it is up.
  const [pg, ns] = await Promise.allSettled([
    postgres.kind === 'given' || postgres.kind === 'local'
      ? postgres.url
      : start(
          postgres.kind === 'container'
            ? startPostgresContainer(persistence)
            : startEmbeddedPostgres(persistence),
        ),
    nats.kind === 'given' || nats.kind === 'local'
      ? nats.url
      : start(
          nats.kind === 'container'
            ? startNatsContainer(persistence)
            : startNatsFromPath(persistence),
        ),
  ]);
  if (pg.status === 'rejected' || ns.status === 'rejected') {
    await stop();
    throw pg.status === 'rejected' ? pg.reason : (ns as PromiseRejectedResult).reason;
  }
  const description = describeChoice(choice, { pgUrl: pg.value, natsUrl: ns.value });
  log(description);
  return { pgUrl: pg.value, natsUrl: ns.value, description, stop };
}
