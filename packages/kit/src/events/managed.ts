import {
  AckPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerInfo,
  type JetStreamManager,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { AppError } from '../errors';
import { streamName, streamSubjects } from './envelope';
import { DEFAULT_DUPLICATE_WINDOW_MS, type StreamSpec } from './stream';

/**
 * Streams and durable consumers owned by the operator (`EVENT_STREAMS_MANAGED=true`, declared in
 * deploy/k8s/components/event-streams): a service never creates or changes them, it checks at
 * start-up that they exist as it needs them and refuses to start otherwise (docs/adr/0013).
 */
const WHERE =
  'declare it in deploy/k8s/components/event-streams (NACK) or unset EVENT_STREAMS_MANAGED';

const notDeclared = (problem: string) =>
  new AppError('FAILED_PRECONDITION', `${problem}; ${WHERE}`, {
    reason: 'EVENT_STREAM_NOT_DECLARED',
  });

/** The producing service's stream: it must exist, take the service's subjects and de-duplicate long enough. */
export async function verifyStream(jsm: JetStreamManager, spec: StreamSpec): Promise<StreamInfo> {
  const name = streamName(spec.subjectPrefix, spec.service);
  const subject = streamSubjects(spec.subjectPrefix, spec.service);
  const info = await lookup(() => jsm.streams.info(name), JetStreamApiCodes.StreamNotFound);
  if (!info) throw notDeclared(`Event stream ${name} does not exist`);
  const problems: string[] = [];
  if (!(info.config.subjects ?? []).includes(subject))
    problems.push(`does not take the subjects ${subject}`);
  const needed = spec.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS;
  if ((info.config.duplicate_window ?? 0) < nanos(needed))
    problems.push(
      `de-duplicates for less than ${needed / 1000} s (the outbox relay's retry window)`,
    );
  if (problems.length) throw notDeclared(`Event stream ${name} ${problems.join(' and ')}`);
  return info;
}

export interface DurableExpectations {
  /** Subjects the consumer must be delivered; a wider filter is fine (unwanted events are acked unread). */
  subjects: string[];
}

/** A durable consumer: it must exist, ack explicitly, filter every wanted subject in and redeliver without limit. */
export async function verifyDurable(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
  expected: DurableExpectations,
): Promise<ConsumerInfo> {
  const info = await lookup(
    () => jsm.consumers.info(stream, durable),
    JetStreamApiCodes.ConsumerNotFound,
  );
  if (!info) throw notDeclared(`Durable consumer ${durable} on stream ${stream} does not exist`);
  const { config } = info;
  const problems: string[] = [];
  if (config.ack_policy !== AckPolicy.Explicit) problems.push('must acknowledge explicitly');
  const filters =
    config.filter_subjects ?? (config.filter_subject ? [config.filter_subject] : ['>']);
  const missed = expected.subjects.filter((s) => !filters.some((f) => subjectMatches(f, s)));
  if (missed.length) problems.push(`filters out ${missed.join(', ')}`);
  // The loop parks a poison event itself; a server limit would drop events silently (ADR 0025).
  if ((config.max_deliver ?? -1) > 0)
    problems.push(
      `allows only ${config.max_deliver} deliveries where the service parks poison events itself (maxDeliver must be -1, unlimited)`,
    );
  if (problems.length)
    throw notDeclared(`Durable consumer ${durable} on stream ${stream} ${problems.join(' and ')}`);
  return info;
}

/** NATS subject matching: `*` is one token, a final `>` one or more. */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length || (f[i] !== '*' && f[i] !== s[i])) return false;
  }
  return f.length === s.length;
}

async function lookup<T>(get: () => Promise<T>, notFoundCode: number): Promise<T | undefined> {
  try {
    return await get();
  } catch (e) {
    if (e instanceof JetStreamApiError && e.code === notFoundCode) return undefined;
    throw e;
  }
}
