import type { EventEnvelope } from '@aftercare/kit';
import { TEST_NATS_URL } from '@aftercare/testkit';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/** Every event in a service's stream so far (ordered consumer, stops when caught up). */
export async function streamEvents(
  subjectPrefix: string,
  service: string,
  natsUrl = TEST_NATS_URL,
): Promise<EventEnvelope<Record<string, unknown>>[]> {
  const nc = await connect({ servers: natsUrl });
  try {
    const js = jetstream(nc);
    const consumer = await js.consumers.get(
      `${subjectPrefix.toUpperCase()}_${service.toUpperCase()}`,
    );
    const info = await consumer.info();
    const pending = info.num_pending;
    const events: EventEnvelope<Record<string, unknown>>[] = [];
    if (pending === 0) return events;
    const iter = await consumer.consume();
    for await (const m of iter) {
      events.push(m.json());
      if (events.length >= pending) break;
    }
    return events;
  } finally {
    await nc.close();
  }
}

/** Waits until `check` passes on the stream's events (the relay publishes shortly after commit). */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}
