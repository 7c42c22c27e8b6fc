import type { Metrics } from './registry';

/** A business counter fed by the service's own published events. */
export interface EventCounter {
  /** The event type counted, e.g. `workorder.registered`. */
  eventType: string;
  /** Prometheus name, `<service>_<what>_total`. */
  name: string;
  help: string;
  labelNames?: readonly string[];
  /**
   * Label sets to count for one event's data: one per increment (e.g. one per survey answer),
   * none to skip it. Values must come from bounded sets (enums, booleans), never ids.
   */
  labels?(data: unknown): Record<string, string>[];
}

const counted = new WeakMap<Metrics, Map<string, (data: unknown) => void>>();

/**
 * Declares business counters (orders registered, SLA breaches …) counted when the outbox relay
 * publishes the matching event: counted once the fact is committed and out, from any replica,
 * with no counting code in the domain. A row re-published after a lost commit counts twice, a
 * rare over-count that a rate over minutes does not notice.
 */
export function countPublishedEvents(metrics: Metrics, counters: readonly EventCounter[]): void {
  let byType = counted.get(metrics);
  if (!byType) counted.set(metrics, (byType = new Map()));
  for (const c of counters) {
    const counter = metrics.counter({
      name: c.name,
      help: c.help,
      labelNames: [...(c.labelNames ?? [])],
    });
    const previous = byType.get(c.eventType);
    byType.set(c.eventType, (data) => {
      previous?.(data);
      if (!c.labels) return counter.inc();
      for (const labels of c.labels(data)) counter.inc(labels);
    });
  }
}

/** Called by the relay for each event it published. */
export function eventPublished(metrics: Metrics, type: string, data: unknown): void {
  counted.get(metrics)?.get(type)?.(data);
}
