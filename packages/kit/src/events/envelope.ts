import {
  cloudEvent,
  DATA_VERSION,
  EVENT_TYPE,
  NATS_TOKEN,
  schemaFileOf,
  type CloudEvent,
} from '@aftercare/events';
import { z } from 'zod';

/**
 * The JSON body of every event on NATS: a CloudEvent in structured content mode (ADR 0018).
 * `subject` is the id of the aggregate the event is about, not the NATS subject.
 */
export type EventEnvelope<TData = unknown> = CloudEvent<TData>;

export const isNatsToken = (s: string): boolean => NATS_TOKEN.test(s);

/**
 * The body before ADR 0018 (`dataVersion`, no CloudEvents attributes in it). Events written so
 * are still in the streams (400 days) and maybe in outboxes at upgrade time: they are read as the
 * CloudEvent they stand for.
 */
const legacyEnvelope = z.object({
  id: z.uuid(),
  type: z.string().regex(EVENT_TYPE, 'must be "<service>.<event>"'),
  source: z.string().regex(NATS_TOKEN, 'must be a service name'),
  time: z.iso.datetime({ offset: true }),
  subject: z.string().min(1).max(200),
  dataVersion: z.string().regex(DATA_VERSION, 'must be a positive integer'),
  data: z.record(z.string(), z.unknown()),
});

export type EnvelopeParseResult =
  { ok: true; envelope: EventEnvelope<Record<string, unknown>> } | { ok: false; problem: string };

/**
 * Validates a received body, a CloudEvent or a legacy envelope; never throws, so a malformed
 * message cannot break a consumer loop. A legacy envelope's `dataschema` is the schema's file
 * name under docs/events/schemas (it named none).
 */
export function parseEnvelope(body: unknown): EnvelopeParseResult {
  const isLegacy =
    typeof body === 'object' && body !== null && !('specversion' in body) && 'dataVersion' in body;
  if (isLegacy) {
    const legacy = legacyEnvelope.safeParse(body);
    if (!legacy.success) return { ok: false, problem: problemOf(legacy.error) };
    return { ok: true, envelope: fromLegacy(legacy.data) };
  }
  const result = cloudEvent.safeParse(body);
  if (result.success) return { ok: true, envelope: result.data };
  return { ok: false, problem: problemOf(result.error) };
}

function fromLegacy(
  legacy: z.output<typeof legacyEnvelope>,
  schemaBaseUrl = '',
): EventEnvelope<Record<string, unknown>> {
  const { dataVersion, ...rest } = legacy;
  return {
    specversion: '1.0',
    ...rest,
    datacontenttype: 'application/json',
    dataschema: schemaUrl(schemaBaseUrl, legacy.type, Number(dataVersion)),
    dataversion: dataVersion,
  };
}

/**
 * An outbox row's stored body as the CloudEvent to publish: rows written before ADR 0018 hold
 * the legacy envelope and go out converted, so the streams get no new legacy bodies.
 */
export function toCloudEvent(stored: unknown, schemaBaseUrl: string): unknown {
  const legacy =
    typeof stored === 'object' && stored !== null && !('specversion' in stored)
      ? legacyEnvelope.safeParse(stored)
      : undefined;
  return legacy?.success ? fromLegacy(legacy.data, schemaBaseUrl) : stored;
}

const problemOf = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');

/** `dataschema`: the published JSON Schema of the event's data, under `schemaBaseUrl`. */
export const schemaUrl = (schemaBaseUrl: string, type: string, version: number): string =>
  `${schemaBaseUrl}${schemaFileOf({ type, version })}`;

/** `aftercare.customer.created` for type `customer.created`; `prefix` isolates environments and tests. */
export const eventSubject = (subjectPrefix: string, type: string): string =>
  `${subjectPrefix}.${type}`;

/** One stream per producing service: `AFTERCARE_CUSTOMER` over `aftercare.customer.>`. */
export const streamName = (subjectPrefix: string, service: string): string =>
  `${subjectPrefix}_${service}`.toUpperCase().replace(/-/g, '_');

export const streamSubjects = (subjectPrefix: string, service: string): string =>
  `${subjectPrefix}.${service}.>`;
