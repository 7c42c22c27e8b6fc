import { z } from 'zod';
import { isUuid } from '../ids';

/**
 * The JSON body of every event on NATS (CloudEvents-like, ARCHITECTURE.md "Events").
 * `subject` is the id of the aggregate the event is about, not the NATS subject.
 */
export interface EventEnvelope<TData = unknown> {
  id: string;
  type: string;
  source: string;
  time: string;
  subject: string;
  dataVersion: string;
  data: TData;
}

// Lower-case NATS tokens: no dots, wildcards or spaces, so they compose into subjects safely.
const TOKEN = /^[a-z][a-z0-9_-]*$/;
const EVENT_TYPE = /^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_-]*$/;
const DATA_VERSION = /^[1-9][0-9]*$/;

export const isNatsToken = (s: string): boolean => TOKEN.test(s);

const envelopeSchema = z.object({
  id: z.string().refine(isUuid, 'must be a UUID'),
  type: z.string().regex(EVENT_TYPE, 'must be "<service>.<event>"'),
  source: z.string().regex(TOKEN, 'must be a service name'),
  time: z.iso.datetime({ offset: true }),
  subject: z.string().min(1).max(200),
  dataVersion: z.string().regex(DATA_VERSION, 'must be a positive integer'),
  data: z.record(z.string(), z.unknown()),
});

export type EnvelopeParseResult =
  { ok: true; envelope: EventEnvelope } | { ok: false; problem: string };

/** Validates a received body; never throws, so a malformed message cannot break a consumer loop. */
export function parseEnvelope(body: unknown): EnvelopeParseResult {
  const result = envelopeSchema.safeParse(body);
  if (result.success) return { ok: true, envelope: result.data };
  return {
    ok: false,
    problem: result.error.issues
      .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
      .join('; '),
  };
}

export const isEventType = (s: string): boolean => EVENT_TYPE.test(s);
export const isDataVersion = (s: string): boolean => DATA_VERSION.test(s);

/** `aftercare.customer.created` for type `customer.created`; `prefix` isolates environments and tests. */
export const eventSubject = (subjectPrefix: string, type: string): string =>
  `${subjectPrefix}.${type}`;

/** One stream per producing service: `AFTERCARE_CUSTOMER` over `aftercare.customer.>`. */
export const streamName = (subjectPrefix: string, service: string): string =>
  `${subjectPrefix}_${service}`.toUpperCase().replace(/-/g, '_');

export const streamSubjects = (subjectPrefix: string, service: string): string =>
  `${subjectPrefix}.${service}.>`;

/**
 * `ce-dataschema`: the fully qualified proto message of the event body
 * (`customer.created` v1 → `aftercare.customer.events.v1.CustomerCreated`, see proto/aftercare/<service>/events/v1/).
 */
export function dataSchemaOf(type: string, dataVersion: string): string {
  const [service = '', event = ''] = type.split('.');
  const message = `${service}_${event}`
    .split(/[_-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return `aftercare.${service}.events.v${dataVersion}.${message}`;
}
