import { events } from '@aftercare/events';
import { conflict, type EntityManager, type Identity, notFound, requireRole } from '@aftercare/kit';
import { LockMode } from '@mikro-orm/core';
import { SlaPolicyRecord, SlaPolicyVersionRecord } from '../db/entities';
import {
  createPolicy,
  type PolicyChangeInput,
  type PolicyEdit,
  policyChangedEventData,
  policyId,
  retirePolicy,
  revisePolicy,
  type SlaPolicyInput,
  type SlaPolicyVersion,
  termsOf,
} from '../domain';
import { CAN_MANAGE_SLA, CAN_READ, CAN_READ_SLA } from './access';
import type { WorkOrderDeps } from './deps';

/** R-WO-12 the SLA policies by id; retired ones only when asked for (a list of a few dozen). */
export async function listSlaPolicies(
  em: EntityManager,
  caller: Identity | null,
  f: { includeRetired?: boolean | null },
): Promise<SlaPolicyRecord[]> {
  requireRole(caller, ...CAN_READ_SLA);
  return em.find(SlaPolicyRecord, f.includeRetired ? {} : { retired: false }, {
    orderBy: { id: 'asc' },
  });
}

export async function getSlaPolicy(
  em: EntityManager,
  caller: Identity | null,
  id: string,
): Promise<SlaPolicyRecord> {
  requireRole(caller, ...CAN_READ_SLA);
  const policy = await em.findOne(SlaPolicyRecord, { id: policyId(id, 'id') });
  if (!policy) throw notFound('SlaPolicy', id);
  return policy;
}

/**
 * R-WO-12 the audit of policies: each one's versions, oldest first, with who, when and why; for
 * many policies in one query.
 */
export async function slaPolicyHistories(
  em: EntityManager,
  caller: Identity | null,
  ids: readonly string[],
): Promise<SlaPolicyVersionRecord[][]> {
  requireRole(caller, ...CAN_READ_SLA);
  const all = ids.length
    ? await em.find(
        SlaPolicyVersionRecord,
        { id: { $in: [...new Set(ids)] } },
        { orderBy: { id: 'asc', version: 'asc' } },
      )
    : [];
  return ids.map((id) => all.filter((v) => v.id === id));
}

/**
 * Versions by `(policy id, version)`, in the order asked (null when unknown): one query per request.
 * Whoever reads a work order reads the version it was registered with.
 */
export async function slaPolicyVersions(
  em: EntityManager,
  caller: Identity | null,
  keys: readonly { id: string; version: number }[],
): Promise<(SlaPolicyVersionRecord | null)[]> {
  requireRole(caller, ...CAN_READ);
  const found = keys.length
    ? await em.find(SlaPolicyVersionRecord, {
        $or: keys.map((k) => ({ id: k.id, version: k.version })),
      })
    : [];
  return keys.map((k) => found.find((v) => v.id === k.id && v.version === k.version) ?? null);
}

const editOf = (deps: WorkOrderDeps, me: Identity): PolicyEdit => ({
  actor: me.userId,
  now: deps.now(),
  categories: deps.categories,
});

/**
 * Writes a version: the policy row becomes it, the version row keeps it, and the event announces
 * it, all in the caller's transaction.
 */
function record(
  deps: WorkOrderDeps,
  em: EntityManager,
  policy: SlaPolicyRecord,
  v: SlaPolicyVersion,
) {
  Object.assign(policy, {
    ...termsOf(v),
    version: v.version,
    retired: v.retired,
    updatedBy: v.changedBy,
    updatedAt: v.changedAt,
  });
  em.persist(policy);
  em.persist(Object.assign(new SlaPolicyVersionRecord(), v));
  deps.events.publish(em, events.workorder.slaPolicyChanged, v.id, policyChangedEventData(v));
}

/**
 * R-WO-12 a manager introduces a policy (version 1). Asking again for the same policy returns it
 * as it is (a retried request is harmless); another policy under a taken id is a CONFLICT.
 */
export async function createSlaPolicy(
  deps: WorkOrderDeps,
  caller: Identity | null,
  input: SlaPolicyInput & { reason?: string | null },
): Promise<SlaPolicyRecord> {
  const me = requireRole(caller, ...CAN_MANAGE_SLA);
  const created = createPolicy(input, editOf(deps, me));
  const policy = await deps.orm.em.fork().transactional(async (em) => {
    const existing = await em.findOne(SlaPolicyRecord, { id: created.id });
    if (existing) {
      const same = JSON.stringify(termsOf(existing)) === JSON.stringify(termsOf(created));
      if (same && existing.version === 1 && !existing.retired) return existing;
      throw conflict(`SLA policy ${created.id} exists already`, 'SLA_POLICY_EXISTS');
    }
    const policy = Object.assign(new SlaPolicyRecord(), { id: created.id });
    record(deps, em, policy, created);
    await em.flush();
    return policy;
  });
  // After the commit: a read of the policies in between would otherwise keep the old ones.
  deps.slaPolicies.invalidate();
  return policy;
}

/** The current version of a policy, locked for the change. */
async function lockedPolicy(em: EntityManager, id: string) {
  const policy = await em.findOne(
    SlaPolicyRecord,
    { id },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!policy) throw notFound('SlaPolicy', id);
  const current = await em.findOneOrFail(SlaPolicyVersionRecord, { id, version: policy.version });
  return { policy, current };
}

/** A manager makes the next version of a policy from its current one, locked meanwhile. */
async function nextVersion(
  deps: WorkOrderDeps,
  caller: Identity | null,
  rawId: string,
  make: (current: SlaPolicyVersion, edit: PolicyEdit) => SlaPolicyVersion,
): Promise<SlaPolicyRecord> {
  const me = requireRole(caller, ...CAN_MANAGE_SLA);
  const id = policyId(rawId, 'id');
  const changed = await deps.orm.em.fork().transactional(async (em) => {
    const { policy, current } = await lockedPolicy(em, id);
    record(deps, em, policy, make(current, editOf(deps, me)));
    await em.flush();
    return policy;
  });
  deps.slaPolicies.invalidate();
  return changed;
}

/**
 * R-WO-12 a manager changes a policy: a new version, with the reason on record. Orders registered
 * before keep the version they were registered with and their deadlines.
 */
export const changeSlaPolicy = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  input: PolicyChangeInput & { id: string },
): Promise<SlaPolicyRecord> =>
  nextVersion(deps, caller, input.id, (current, edit) => revisePolicy(current, input, edit));

/** R-WO-12 a manager retires a policy: new orders no longer fall under it. */
export const retireSlaPolicy = (
  deps: WorkOrderDeps,
  caller: Identity | null,
  input: { id: string; expectedVersion?: number | null; reason?: string | null },
): Promise<SlaPolicyRecord> =>
  nextVersion(deps, caller, input.id, (current, edit) => retirePolicy(current, input, edit));
