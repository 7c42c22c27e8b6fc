import {
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  StorageType,
  type JetStreamManager,
  type StreamInfo,
} from '@nats-io/jetstream';
import {
  headers as natsHeaders,
  nanos,
  type MsgHdrs,
  type NatsConnection,
} from '@nats-io/transport-node';
import { AppError } from '../errors';
import { streamName } from './envelope';
import { DEFAULT_DUPLICATE_WINDOW_MS, streamInfo } from './stream';

/**
 * The dead-letter path (ADR 0025): an event a consumer cannot apply is parked, verbatim, in the
 * consuming service's dead-letter stream with why, where from and how often it was tried, and only
 * then terminated on its own stream. Operators list and replay parked events (`dead-letter-replay`).
 */
export type DeadLetterReason = 'malformed' | 'invalid' | 'poison';
export const DEAD_LETTER_REASONS: readonly DeadLetterReason[] = ['malformed', 'invalid', 'poison'];

/** Kept for 400 days, like the event streams: a parked event waits for a fix and a replay. */
export const DEAD_LETTER_MAX_AGE_MS = 400 * 24 * 3600_000;

/** `AFTERCARE_DEADLETTER_SURVEY`: one per consuming service. */
export const deadLetterStreamName = (subjectPrefix: string, service: string): string =>
  streamName(subjectPrefix, `deadletter_${service}`);

/**
 * `aftercare.deadletter.survey.>`. `deadletter` is no service's name, so no event stream
 * (`aftercare.<service>.>`) takes these subjects.
 */
export const deadLetterSubjects = (subjectPrefix: string, service: string): string =>
  `${subjectPrefix}.deadletter.${service}.>`;

/** Where one durable parks: `aftercare.deadletter.survey.survey-on-workorder-completed`. */
export const deadLetterSubject = (subjectPrefix: string, service: string, consumer: string) =>
  `${subjectPrefix}.deadletter.${service}.${consumer}`;

/** Metadata of a parked event, in headers so the original body stays byte for byte. */
const HEADER = {
  reason: 'Aftercare-Parked-Reason',
  error: 'Aftercare-Parked-Error',
  consumer: 'Aftercare-Parked-Consumer',
  attempts: 'Aftercare-Parked-Attempts',
  parkedAt: 'Aftercare-Parked-At',
  stream: 'Aftercare-Original-Stream',
  sequence: 'Aftercare-Original-Sequence',
  subject: 'Aftercare-Original-Subject',
  eventId: 'Aftercare-Event-Id',
  eventType: 'Aftercare-Event-Type',
} as const;

export interface OriginalPosition {
  stream: string;
  sequence: number;
  /** The NATS subject it was published on. */
  subject: string;
}

export interface Parking {
  /** The consuming service, owner of the dead-letter stream. */
  service: string;
  consumer: string;
  reason: DeadLetterReason;
  error: string;
  /** Deliveries (and replays) that failed, this one included. */
  attempts: number;
  original: OriginalPosition;
  /** Id and type when the body is a readable event (a malformed message has none). */
  event?: { id: string; type: string };
  body: Uint8Array;
}

export interface ParkedEvent {
  service: string;
  consumer: string;
  /** Position in the dead-letter stream: what a replay removes. */
  sequence: number;
  reason: DeadLetterReason;
  error: string;
  attempts: number;
  parkedAt: string;
  original: OriginalPosition;
  eventId: string | null;
  eventType: string | null;
  /** The original message body, verbatim. */
  body: string;
}

/**
 * Parks an event and waits for the stream's acknowledgement. The message id names the original
 * message, consumer and attempt, so parking the same failure again (a term lost with the
 * connection) is de-duplicated instead of stored twice.
 */
export async function park(
  nats: NatsConnection,
  subjectPrefix: string,
  parking: Parking,
): Promise<void> {
  const h = natsHeaders();
  const set = (name: string, value: string | number) =>
    // Header values are one line of text.
    h.set(
      name,
      String(value)
        .replace(/[\r\n]+/g, ' ')
        .slice(0, 1000),
    );
  set(HEADER.reason, parking.reason);
  set(HEADER.error, parking.error || '(no message)');
  set(HEADER.consumer, parking.consumer);
  set(HEADER.attempts, parking.attempts);
  set(HEADER.parkedAt, new Date().toISOString());
  set(HEADER.stream, parking.original.stream);
  set(HEADER.sequence, parking.original.sequence);
  set(HEADER.subject, parking.original.subject);
  if (parking.event) {
    set(HEADER.eventId, parking.event.id);
    set(HEADER.eventType, parking.event.type);
  }
  const { stream, sequence } = parking.original;
  await jetstream(nats).publish(
    deadLetterSubject(subjectPrefix, parking.service, parking.consumer),
    parking.body,
    {
      headers: h,
      msgID: `${stream}:${sequence}:${parking.consumer}:${parking.attempts}`,
      expect: { streamName: deadLetterStreamName(subjectPrefix, parking.service) },
    },
  );
}

/** Creates the service's dead-letter stream when missing (unmanaged mode). */
export async function ensureDeadLetterStream(
  jsm: JetStreamManager,
  subjectPrefix: string,
  service: string,
): Promise<void> {
  const name = deadLetterStreamName(subjectPrefix, service);
  if (await streamInfo(jsm, name)) return;
  try {
    await jsm.streams.add({
      name,
      description: `Events the ${service} service's consumers parked (ADR 0025)`,
      subjects: [deadLetterSubjects(subjectPrefix, service)],
      storage: StorageType.File,
      max_age: nanos(DEAD_LETTER_MAX_AGE_MS),
      duplicate_window: nanos(DEFAULT_DUPLICATE_WINDOW_MS),
    });
  } catch (e) {
    // Another consumer of the service created it between our look-up and our add.
    if (!(await streamInfo(jsm, name))) throw e;
  }
}

/** Managed mode: the operator declared it, taking the service's subjects and allowing deletes (a replay removes). */
export async function verifyDeadLetterStream(
  jsm: JetStreamManager,
  subjectPrefix: string,
  service: string,
): Promise<void> {
  const name = deadLetterStreamName(subjectPrefix, service);
  const info = await streamInfo(jsm, name);
  const where =
    'declare it in deploy/k8s/components/event-streams (NACK) or unset EVENT_STREAMS_MANAGED';
  const refuse = (problem: string) =>
    new AppError('FAILED_PRECONDITION', `Dead-letter stream ${name} ${problem}; ${where}`, {
      reason: 'EVENT_STREAM_NOT_DECLARED',
    });
  if (!info) throw refuse('does not exist');
  const subject = deadLetterSubjects(subjectPrefix, service);
  if (!(info.config.subjects ?? []).includes(subject))
    throw refuse(`does not take the subjects ${subject}`);
  if (info.config.deny_delete) throw refuse('denies deletes (a replayed event leaves it)');
}

/** Parked events of one service, oldest first, optionally of one consumer only. */
export async function readParked(
  nats: NatsConnection,
  subjectPrefix: string,
  service: string,
  consumer?: string,
): Promise<ParkedEvent[]> {
  const jsm = await jetstreamManager(nats);
  const stream = deadLetterStreamName(subjectPrefix, service);
  const subject = consumer
    ? deadLetterSubject(subjectPrefix, service, consumer)
    : deadLetterSubjects(subjectPrefix, service);
  let info: StreamInfo;
  try {
    info = await jsm.streams.info(stream, { subjects_filter: subject });
  } catch (e) {
    if (e instanceof JetStreamApiError && e.code === JetStreamApiCodes.StreamNotFound) return [];
    throw e;
  }
  const count = Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0);
  if (!count) return [];
  // An ordered (ephemeral) consumer reads without touching any durable's state.
  const reader = await jetstream(nats).consumers.get(stream, { filter_subjects: subject });
  const parked: ParkedEvent[] = [];
  while (parked.length < count) {
    const batch = await reader.fetch({ max_messages: count - parked.length, expires: 2_000 });
    let received = 0;
    let last = false;
    for await (const m of batch) {
      received += 1;
      parked.push(toParked(service, m.seq, m.headers, m.data));
      if (m.info.pending === 0) {
        last = true;
        break;
      }
    }
    // Fewer than counted: some were replayed (deleted) while we read.
    if (last || received === 0) break;
  }
  return parked;
}

function toParked(
  service: string,
  sequence: number,
  h: MsgHdrs | undefined,
  data: Uint8Array,
): ParkedEvent {
  const get = (name: string) => h?.get(name) ?? '';
  const reason = get(HEADER.reason) as DeadLetterReason;
  return {
    service,
    consumer: get(HEADER.consumer),
    sequence,
    reason: DEAD_LETTER_REASONS.includes(reason) ? reason : 'poison',
    error: get(HEADER.error),
    attempts: Number(get(HEADER.attempts)) || 1,
    parkedAt: get(HEADER.parkedAt),
    original: {
      stream: get(HEADER.stream),
      sequence: Number(get(HEADER.sequence)),
      subject: get(HEADER.subject),
    },
    eventId: get(HEADER.eventId) || null,
    eventType: get(HEADER.eventType) || null,
    body: new TextDecoder().decode(data),
  };
}

/** Removes a replayed event; false when it was gone already (another replica replayed it). */
export async function unpark(
  nats: NatsConnection,
  subjectPrefix: string,
  parked: Pick<ParkedEvent, 'service' | 'sequence'>,
): Promise<boolean> {
  const jsm = await jetstreamManager(nats);
  try {
    return await jsm.streams.deleteMessage(
      deadLetterStreamName(subjectPrefix, parked.service),
      parked.sequence,
      false,
    );
  } catch (e) {
    if (e instanceof JetStreamApiError) return false;
    throw e;
  }
}

/** The services that have a dead-letter stream, from the streams' subjects. */
export async function deadLetterServices(
  nats: NatsConnection,
  subjectPrefix: string,
): Promise<string[]> {
  const jsm = await jetstreamManager(nats);
  const services: string[] = [];
  const pattern = new RegExp(
    `^${subjectPrefix.replace(/[.]/g, '\\.')}\\.deadletter\\.([^.]+)\\.>$`,
  );
  for await (const info of jsm.streams.list(`${subjectPrefix}.deadletter.>`)) {
    for (const s of info.config.subjects ?? []) {
      const service = pattern.exec(s)?.[1];
      if (service) services.push(service);
    }
  }
  return [...new Set(services)].sort();
}

/** Parked events of a service right now (a gauge read at scrape time). */
export async function parkedCount(
  jsm: JetStreamManager,
  subjectPrefix: string,
  service: string,
): Promise<number> {
  const info = await streamInfo(jsm, deadLetterStreamName(subjectPrefix, service));
  return info?.state.messages ?? 0;
}
