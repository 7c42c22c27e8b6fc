import type { z } from 'zod';

/** Marks an object made by `defineEvent`: a hand-made look-alike does not type-check as one. */
declare const declared: unique symbol;

/**
 * One event type at one version, declared once here and nowhere else (ADR 0018): its name, the
 * schema of its `data`, and what its CloudEvents `subject` names. Producers publish and consumers
 * subscribe through these objects; the AsyncAPI document and the JSON Schemas in docs/ are
 * generated from them.
 */
export interface EventDefinition<
  TType extends string = string,
  TData extends z.ZodObject = z.ZodObject,
> {
  /** `<service>.<event>`, past tense; the NATS subject is `<prefix>.<type>`. */
  readonly type: TType;
  /** The producing service: the first token of `type`, and the stream `<PREFIX>_<SERVICE>`. */
  readonly service: string;
  /** The `dataversion` attribute; a breaking change of `data` declares the next one. */
  readonly version: number;
  readonly data: TData;
  /** What the CloudEvents `subject` is the id of, e.g. "the customer". */
  readonly subject: string;
  /** When the event is published, for the catalogue. */
  readonly summary: string;
  readonly [declared]: true;
}

/** What a producer passes: the schema's input (defaults may be left out). */
export type EventInput<E extends EventDefinition> = z.input<E['data']>;
/** What a consumer gets: the schema's output (defaults filled in). */
export type EventOutput<E extends EventDefinition> = z.output<E['data']>;

const EVENT_TYPE = /^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_-]*$/;

export function defineEvent<const TType extends string, TData extends z.ZodObject>(spec: {
  type: TType;
  version: number;
  data: TData;
  subject: string;
  summary: string;
}): EventDefinition<TType, TData> {
  if (!EVENT_TYPE.test(spec.type))
    throw new Error(`Event type "${spec.type}" must be "<service>.<event>" in lower case`);
  if (!Number.isInteger(spec.version) || spec.version < 1)
    throw new Error(`Event ${spec.type}: version must be a positive integer`);
  const service = spec.type.slice(0, spec.type.indexOf('.'));
  return Object.freeze({ ...spec, service }) as EventDefinition<TType, TData>;
}

/** `customer.created` v1 → `customer.created.v1.json`, the published JSON Schema of its data. */
export const schemaFileOf = (event: Pick<EventDefinition, 'type' | 'version'>): string =>
  `${event.type}.v${event.version}.json`;
