import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import { TEST_NATS_URL } from './database';

/** The body of an event on NATS: a CloudEvent in structured content mode (ADR 0018). */
export interface TestEnvelope {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  dataschema: string;
  dataversion: string;
  data: Record<string, unknown>;
}

/**
 * A well-formed event as a producer's relay would publish it (fresh id, version 1). The type
 * and data are not checked against the declarations: tests use it to send broken events too.
 */
export const testEnvelope = (
  type: string,
  subject: string,
  data: Record<string, unknown>,
): TestEnvelope => ({
  specversion: '1.0',
  id: randomUUID(),
  source: type.split('.')[0]!,
  type,
  time: new Date().toISOString(),
  subject,
  datacontenttype: 'application/json',
  dataschema: `docs/events/schemas/${type}.v1.json`,
  dataversion: '1',
  data,
});

/**
 * Publishes `envelope` to JetStream at `<prefix>.<type>`, as a producer would. `msgId` (default the
 * envelope id) is the stream's de-duplication key: a different one delivers the same event again,
 * which is how tests prove that consumers are idempotent.
 */
export async function publishEnvelope(
  subjectPrefix: string,
  envelope: TestEnvelope,
  msgId: string = envelope.id,
  natsUrl = TEST_NATS_URL,
): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    const headers = natsHeaders();
    headers.set('content-type', 'application/cloudevents+json; charset=utf-8');
    await jetstream(nc).publish(`${subjectPrefix}.${envelope.type}`, JSON.stringify(envelope), {
      msgID: msgId,
      headers,
    });
  } finally {
    await nc.close();
  }
}

/** Every event in a service's stream so far, read by an ordered consumer that stops when caught up. */
export async function streamEvents(
  subjectPrefix: string,
  service: string,
  natsUrl = TEST_NATS_URL,
): Promise<TestEnvelope[]> {
  const nc = await connect({ servers: natsUrl });
  try {
    const consumer = await jetstream(nc).consumers.get(
      `${subjectPrefix.toUpperCase()}_${service.toUpperCase()}`,
    );
    const pending = (await consumer.info()).num_pending;
    const events: TestEnvelope[] = [];
    if (pending === 0) return events;
    for await (const m of await consumer.consume()) {
      events.push(m.json());
      if (events.length >= pending) break;
    }
    return events;
  } finally {
    await nc.close();
  }
}
