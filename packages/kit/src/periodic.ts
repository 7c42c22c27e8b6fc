import type { Logger } from './logger';
import * as instruments from './observability/instruments';
import { secondsSince, type Metrics } from './observability/registry';
import { runAsWork } from './observability/work-scope';
import type { Worker } from './service';

/**
 * Runs `run` every `intervalMs` (after the previous round ends, so rounds never overlap) as a
 * service worker; `stop()` waits for the round in flight. A failed round is a log line and a
 * metric (`scheduler_rounds_total{outcome="failure"}`, alerted on), never unreadiness: the next
 * round retries, and taking every replica out of the load balancer would not help it (issue 17).
 * Jobs must be safe with several replicas running them at once (unique keys, SKIP LOCKED).
 * With `metrics`, rounds are counted by outcome and timed, and the items done are counted.
 */
export function startPeriodicWorker(
  name: string,
  intervalMs: number,
  run: () => Promise<number>,
  logger: Logger,
  metrics?: Metrics,
): Worker {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout;
  const labels = { scheduler: name };
  const recorded = metrics && {
    rounds: instruments.schedulerRounds(metrics),
    duration: instruments.schedulerRoundDuration(metrics),
    items: instruments.schedulerItems(metrics),
    lastSuccess: instruments.schedulerLastSuccess(metrics),
  };
  const tick = () => {
    const startMs = performance.now();
    const observe = (outcome: 'success' | 'failure') => {
      recorded?.rounds.inc({ ...labels, outcome });
      recorded?.duration.observe(labels, secondsSince(startMs));
    };
    running = runAsWork({ kind: 'scheduler', name }, run)
      .then((done) => {
        observe('success');
        recorded?.items.inc(labels, done);
        recorded?.lastSuccess.set(labels, Date.now() / 1000);
        if (done) logger.info({ worker: name, done }, `${name}: round done`);
      })
      .catch((err) => {
        observe('failure');
        logger.error({ err, worker: name }, `${name}: round failed`);
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    name,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
