import { z } from 'zod';

/**
 * The body of every event on NATS: a CloudEvent 1.0 in structured content mode, JSON (ADR 0018).
 * Declared once here: the kit parses received bodies with it and docs/events/schemas/
 * cloudevent.json is generated from it.
 */

// Lower-case NATS tokens: no dots, wildcards or spaces, so they compose into subjects safely.
export const NATS_TOKEN = /^[a-z][a-z0-9_-]*$/;
export const EVENT_TYPE = /^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_-]*$/;
export const DATA_VERSION = /^[1-9][0-9]*$/;

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

export const cloudEvent = z
  .object({
    specversion: z.literal('1.0'),
    /** A UUIDv7 (creation order), also `Nats-Msg-Id`: de-duplicate on it. */
    id: z.uuid(),
    /** The producing service, e.g. `customer`. */
    source: z.string().regex(NATS_TOKEN, 'must be a service name'),
    /** `<service>.<event>`, e.g. `customer.created`; the NATS subject is `<prefix>.<type>`. */
    type: z.string().regex(EVENT_TYPE, 'must be "<service>.<event>"'),
    /** When the state change happened (and the event was recorded), RFC 3339 UTC. */
    time: z.iso.datetime({ offset: true }),
    /** The id of the aggregate the event is about (not the NATS subject). */
    subject: z.string().min(1).max(200),
    datacontenttype: z.literal('application/json'),
    /** Where the JSON Schema of `data` is published: `<base><type>.v<dataversion>.json`. */
    dataschema: z.string().min(1),
    /** Extension attribute: the version of `data`'s schema, a positive integer as a string. */
    dataversion: z.string().regex(DATA_VERSION, 'must be a positive integer'),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({
    title: 'Aftercare event (CloudEvents 1.0, structured content mode)',
    description:
      'The body of every NATS message of the Aftercare event streams. `data` is described by the schema `dataschema` names.',
  });

export type CloudEvent<TData = Record<string, unknown>> = Omit<
  z.output<typeof cloudEvent>,
  'data'
> & { data: TData };
