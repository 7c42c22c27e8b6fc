import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { TEST_NATS_URL } from './database';

export interface TestEnvelope {
  id: string;
  type: string;
  source: string;
  time: string;
  subject: string;
  dataVersion: string;
  data: Record<string, unknown>;
}

/** A well-formed event envelope as a producer's relay would publish it (fresh id, version 1). */
export const testEnvelope = (
  type: string,
  subject: string,
  data: Record<string, unknown>,
): TestEnvelope => ({
  id: randomUUID(),
  type,
  source: type.split('.')[0]!,
  time: new Date().toISOString(),
  subject,
  dataVersion: '1',
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
    await jetstream(nc).publish(`${subjectPrefix}.${envelope.type}`, JSON.stringify(envelope), {
      msgID: msgId,
    });
  } finally {
    await nc.close();
  }
}
