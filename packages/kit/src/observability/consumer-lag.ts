import type { Metrics } from './registry';

export interface ConsumerLag {
  /** Not yet delivered to the durable. */
  pending: number;
  /** Delivered, not yet acknowledged. */
  ackPending: number;
}

interface Source {
  stream: string;
  read(): Promise<ConsumerLag>;
}

/** Consumer info is a JetStream API request: at most one per durable per this many ms. */
const CACHE_MS = 5000;

const sources = new WeakMap<Metrics, Map<string, Source>>();

/**
 * Reports a durable's lag (JetStream consumer info) at scrape time, cached for a few seconds so
 * frequent scrapes do not load the NATS server. Several consumers of one service share the two
 * gauges; each adds its own label set. Returns the function that stops reporting it.
 */
export function reportConsumerLag(
  metrics: Metrics,
  consumer: string,
  stream: string,
  info: () => Promise<ConsumerLag>,
): () => void {
  let registered = sources.get(metrics);
  if (!registered) {
    const all = new Map<string, Source>();
    sources.set(metrics, (registered = all));
    const collectAll = async (pick: (lag: ConsumerLag) => number, set: SetLabelled) => {
      for (const [name, source] of all) {
        const lag = await source.read().catch(() => undefined);
        if (lag)
          set(
            { messaging_consumer_group_name: name, messaging_destination_name: source.stream },
            pick(lag),
          );
      }
    };
    metrics.gauge({
      name: 'event_consumer_pending_messages',
      help: 'Messages in the stream not yet delivered to the durable consumer (JetStream consumer info, read at most every 5 s)',
      labelNames: ['messaging_consumer_group_name', 'messaging_destination_name'],
      async collect() {
        this.reset();
        await collectAll(
          (lag) => lag.pending,
          (labels, value) => this.set(labels, value),
        );
      },
    });
    metrics.gauge({
      name: 'event_consumer_ack_pending_messages',
      help: 'Messages delivered to the durable consumer and not yet acknowledged (JetStream consumer info, read at most every 5 s)',
      labelNames: ['messaging_consumer_group_name', 'messaging_destination_name'],
      async collect() {
        this.reset();
        await collectAll(
          (lag) => lag.ackPending,
          (labels, value) => this.set(labels, value),
        );
      },
    });
  }
  let cached: { at: number; lag: Promise<ConsumerLag> } | undefined;
  registered.set(consumer, {
    stream,
    read() {
      if (!cached || performance.now() - cached.at > CACHE_MS) {
        const lag = info();
        cached = { at: performance.now(), lag };
        // A failed read is not cached: the next scrape asks again.
        lag.catch(() => {
          cached = undefined;
        });
      }
      return cached.lag;
    },
  });
  return () => registered.delete(consumer);
}

type SetLabelled = (
  labels: { messaging_consumer_group_name: string; messaging_destination_name: string },
  value: number,
) => void;
