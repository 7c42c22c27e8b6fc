import type { z } from 'zod';
import { invalidArgument } from '../errors';
import { findRefusal } from '../input-policy';
import type { EventEnvelope } from './envelope';

/**
 * A consumer's view of an incoming event: its data parsed with the producer's contract
 * (`@aftercare/events`). A malformed event fails here, before anything is written, so the
 * consumer's transaction rolls back and the event is parked (INVALID_EVENT, ADR 0025); so does data
 * the input policy refuses (NUL, unpaired surrogates: docs/input-policy.md).
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
  // Texts were limited where they came in; NUL or a broken surrogate would still fail the write.
  const found = findRefusal(parsed.data, Number.POSITIVE_INFINITY);
  if (found) {
    throw invalidArgument(
      `malformed ${envelope.type}: ${found.field} ${found.refusal.problem}`,
      'data',
      'INVALID_EVENT',
    );
  }
  return parsed.data;
}
