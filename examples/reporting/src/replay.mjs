// Replays the services' JetStream streams from their first message with ordered (ephemeral)
// consumers, stops at the last message present when it started, and keeps the events the KPIs
// use: well-formed, of a used type, valid against their schema, each id once.
import {
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export const SERVICES = Object.freeze([
  'customer',
  'workorder',
  'inventory',
  'complaint',
  'survey',
]);

/** `AFTERCARE_WORKORDER` for prefix `aftercare` (the streams the operators declare). */
export const streamName = (prefix, service) =>
  `${prefix}_${service}`.toUpperCase().replace(/-/g, '_');

/**
 * Reads the streams of `services` and returns `{ events, stats }`. `check(type, version, data)`
 * validates a used event (see schemas.mjs); `usedTypes` names the types to keep.
 * `stats` per stream: messages read, kept, duplicates, skipped (unused type), invalid (with the
 * first reasons), and `missing` streams.
 */
export async function replay({
  servers,
  prefix = 'aftercare',
  services = SERVICES,
  usedTypes,
  check,
  connectOptions = {},
}) {
  const used = new Set(usedTypes);
  const nc = await connect({ servers, name: 'aftercare-reporting-example', ...connectOptions });
  const seen = new Set();
  const events = [];
  const stats = {
    read: 0,
    kept: 0,
    duplicates: 0,
    skipped: 0,
    invalid: 0,
    invalidSamples: [],
    missingStreams: [],
  };
  try {
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    for (const service of services) {
      const stream = streamName(prefix, service);
      let state;
      try {
        ({ state } = await jsm.streams.info(stream));
      } catch (error) {
        if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) {
          stats.missingStreams.push(stream);
          continue;
        }
        throw error;
      }
      if (state.messages === 0) continue;
      const last = state.last_seq;
      const consumer = await js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
      const messages = await consumer.consume();
      for await (const m of messages) {
        stats.read += 1;
        take(m, { used, check, seen, events, stats });
        // Caught up with what the stream held when we started: later events belong to the next run.
        if (m.seq >= last || m.info.pending === 0) break;
      }
    }
  } finally {
    await nc.close();
  }
  return { events, stats };
}

function take(m, { used, check, seen, events, stats }) {
  let body;
  try {
    body = m.json();
  } catch {
    return invalid(stats, `${m.subject} #${m.seq}: not JSON`);
  }
  // Structured CloudEvents (`dataversion`) or the earlier envelope (`dataVersion`): both have id, type, time, data.
  const { id, type, time, data } = body ?? {};
  if (
    typeof id !== 'string' ||
    typeof type !== 'string' ||
    typeof time !== 'string' ||
    typeof data !== 'object' ||
    data === null
  )
    return invalid(stats, `${m.subject} #${m.seq}: not an event envelope`);
  if (!used.has(type)) {
    stats.skipped += 1;
    return;
  }
  if (seen.has(id)) {
    stats.duplicates += 1;
    return;
  }
  const version = String(body.dataversion ?? body.dataVersion ?? '1');
  const verdict = check(type, version, data);
  if (!verdict.ok) return invalid(stats, `${type} ${id}: ${verdict.reason}`);
  seen.add(id);
  events.push({ id, type, time, version, data });
  stats.kept += 1;
}

function invalid(stats, reason) {
  stats.invalid += 1;
  if (stats.invalidSamples.length < 20) stats.invalidSamples.push(reason);
}
