import type { z } from 'zod';
import { invalidArgument } from '../errors';
import type { EventEnvelope } from './envelope';

/**
 * A consumer's view of an incoming event: its data parsed with the producer's contract
 * (`@aftercare/events`). A malformed event fails here, before anything is written, so the
 * consumer's transaction rolls back and the event is retried and finally given up with an error.
 */
export function eventData<S extends z.ZodType>(schema: S, envelope: EventEnvelope): z.infer<S> {
  const parsed = schema.safeParse(envelope.data);
  if (!parsed.success) {
    throw invalidArgument(
      `malformed ${envelope.type}: ${parsed.error.message}`,
      'data',
      'INVALID_EVENT',
    );
  }
  return parsed.data;
}
