import type { EntityName, FilterQuery } from '@mikro-orm/core';
import { LockMode } from '@mikro-orm/core';
import { notFound } from '../errors';
import type { EventMessage, EventPublisher } from '../events/outbox';
import { checkUuid } from '../ids';
import type { EntityManager, Orm } from './orm';

/** What a change adds besides the changed row: history lines and other rows, and its events. */
export interface ChangeOutcome {
  /** New rows written with the change, e.g. the history line saying who did what and when. */
  records?: readonly object[];
  /** Events published with the change; their subject is the changed row's id. */
  events?: readonly EventMessage[];
}

export interface ChangeOneSpec<R extends { id: string }> {
  entity: EntityName<R>;
  /** What NOT_FOUND names, e.g. `WorkOrder`. */
  label: string;
  /** The id as received; a malformed one is INVALID_ARGUMENT on `field`. */
  id: string | null | undefined;
  field?: string;
  /**
   * A row the caller may not see is NOT_FOUND exactly like a missing one, so a refusal never
   * tells whether it exists or what state it is in.
   */
  visible?: (row: R) => boolean;
  /** Checks and changes the locked row (throwing refuses the whole change). */
  apply: (row: R, em: EntityManager) => Promise<ChangeOutcome | void> | ChangeOutcome | void;
}

/**
 * The one way a row changes (CONVENTIONS: state change and outbox in one transaction): lock it,
 * let `apply` check and change it, then write the rows and events the change brings in the same
 * transaction. Callers check the caller's roles before calling, so a refusal looks nothing up.
 */
export const changeOne = <R extends { id: string }>(
  deps: { orm: Orm; events: EventPublisher },
  spec: ChangeOneSpec<R>,
): Promise<R> => deps.orm.em.fork().transactional((em) => changeOneIn(em, deps.events, spec));

/** `changeOne` inside a transaction the caller already holds (e.g. an idempotent create's). */
export async function changeOneIn<R extends { id: string }>(
  em: EntityManager,
  events: EventPublisher,
  spec: ChangeOneSpec<R>,
): Promise<R> {
  const id = checkUuid(spec.id, spec.field);
  const row = await em.findOne(spec.entity, { id } as FilterQuery<R>, {
    lockMode: LockMode.PESSIMISTIC_WRITE,
  });
  if (!row || (spec.visible && !spec.visible(row))) throw notFound(spec.label, id);
  const outcome = (await spec.apply(row, em)) ?? {};
  for (const record of outcome.records ?? []) em.persist(record);
  await em.flush();
  for (const event of outcome.events ?? []) events.publishMessage(em, row.id, event);
  return row;
}
