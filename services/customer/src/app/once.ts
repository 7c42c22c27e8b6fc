import type { EntityName, FilterQuery } from '@mikro-orm/core';
import { type EntityManager, type Identity, idempotencyKey } from '@aftercare/kit';

/**
 * A create done once per idempotency key (ADR 0013): the caller's key over what they asked for;
 * a repeat gets the row the first call made.
 */
export const keyedCreate = <T extends { id: string }>(
  operation: string,
  caller: Identity,
  input: { idempotencyKey?: string | null },
  entity: EntityName<T>,
) => ({
  operation,
  caller,
  key: idempotencyKey(input.idempotencyKey),
  request: input,
  load: (em: EntityManager, id: string) => em.findOneOrFail(entity, { id } as FilterQuery<T>),
});
