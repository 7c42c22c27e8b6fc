import type { EntityManager } from '@aftercare/kit';
import { SlaPolicyRecord } from '../db/entities';
import { type SlaPolicy, termsOf } from '../domain';

/** A policy as intake reads it: its terms, id and version, detached from any unit of work. */
export type CurrentSlaPolicy = SlaPolicy & { id: string; version: number };

/**
 * Longest a replica serves policies it was not told were changed: the bound when it misses the
 * `workorder.sla_policy_changed` message (ADR 0034). Its own changes and the messages of other
 * replicas' changes drop the copy at once.
 */
export const SLA_POLICY_CACHE_TTL_MS = 10_000;

/**
 * The policies in force (not retired), read once and kept until a change drops them or they are
 * `SLA_POLICY_CACHE_TTL_MS` old: intake reads them on every order, managers change them a few
 * times a year. R-WO-12 stays whole: an order records the version whose terms gave its deadlines.
 */
export interface SlaPolicyCache {
  current(em: EntityManager): Promise<readonly CurrentSlaPolicy[]>;
  /** A policy changed (here, after commit, or on another replica): read them again next time. */
  invalidate(): void;
}

export function slaPolicyCache(
  ttlMs = SLA_POLICY_CACHE_TTL_MS,
  now: () => number = Date.now,
): SlaPolicyCache {
  let cached: { policies: readonly CurrentSlaPolicy[]; readAt: number } | undefined;
  // A read that began before a change may finish after it: it serves its caller, not the cache.
  let generation = 0;
  return {
    async current(em) {
      if (cached && now() - cached.readAt < ttlMs) return cached.policies;
      const started = generation;
      const readAt = now();
      const rows = await em.find(SlaPolicyRecord, { retired: false }, { orderBy: { id: 'asc' } });
      const policies = Object.freeze(rows.map(detached));
      if (started === generation) cached = { policies, readAt };
      return policies;
    },
    invalidate() {
      generation += 1;
      cached = undefined;
    },
  };
}

const detached = (p: SlaPolicyRecord): CurrentSlaPolicy =>
  Object.freeze({ ...termsOf(p), id: p.id, version: p.version });
