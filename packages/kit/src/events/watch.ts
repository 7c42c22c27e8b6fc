import type { DeclaredEvent } from '@aftercare/events';
import type { NatsConnection } from '@nats-io/transport-node';
import { eventSubject } from './envelope';

/**
 * Calls `onEvent` whenever one of `events` is published, in every process that watches: a plain
 * NATS subscription on the events' subjects (JetStream stores what is published there; this
 * listens beside it), with no durable consumer, no acknowledgement and no inbox. For what every
 * replica must hear of, such as a cache to drop; never for effects that must happen once: a
 * process that is away meanwhile misses the message. Returns the unsubscribe function.
 */
export function watchEvents(
  nats: NatsConnection,
  subjectPrefix: string,
  events: readonly DeclaredEvent[],
  onEvent: (type: string) => void,
): () => void {
  const subscriptions = events.map((event) =>
    nats.subscribe(eventSubject(subjectPrefix, event.type), {
      callback: (err) => {
        if (!err) onEvent(event.type);
      },
    }),
  );
  return () => subscriptions.forEach((s) => s.unsubscribe());
}
