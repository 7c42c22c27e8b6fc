import type { Logger } from './logger';
import type { Worker } from './service';

/**
 * Runs `run` every `intervalMs` (after the previous round ends, so rounds never overlap) as a
 * service worker: not ready while the last round failed; `stop()` waits for the round in flight.
 * Jobs must be safe with several replicas running them at once (unique keys, SKIP LOCKED).
 */
export function startPeriodicWorker(
  name: string,
  intervalMs: number,
  run: () => Promise<number>,
  logger: Logger,
): Worker {
  let stopped = false;
  let healthy = true;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout;
  const tick = () => {
    running = run()
      .then((done) => {
        healthy = true;
        if (done) logger.info({ worker: name, done }, `${name}: round done`);
      })
      .catch((err) => {
        healthy = false;
        logger.error({ err, worker: name }, `${name}: round failed`);
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    name,
    isReady: () => healthy,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
