import { type EntityManager, type Identity, requireRole } from '@aftercare/kit';
import { LockMode } from '@mikro-orm/core';
import { ComplaintPolicyRecord } from '../db/entities';
import { type ComplaintPolicy, type ComplaintPolicyInput, revisePolicy } from '../domain';
import { CAN_EDIT_RULES, CAN_READ_COMPLAINTS, CAN_WORK_COMPLAINTS } from './access';
import type { ComplaintDeps } from './deps';

/** The rules in force (seeded by migration 0002). */
export async function loadPolicy(em: EntityManager): Promise<ComplaintPolicyRecord> {
  return em.findOneOrFail(ComplaintPolicyRecord, { id: 1 });
}

export async function getPolicy(
  em: EntityManager,
  caller: Identity | null,
): Promise<ComplaintPolicyRecord> {
  requireRole(caller, ...CAN_READ_COMPLAINTS, ...CAN_WORK_COMPLAINTS);
  return loadPolicy(em);
}

/** A manager edits routing, approval tiers or major-complaint rules; complaints already routed keep their department. */
export async function updatePolicy(
  deps: ComplaintDeps,
  caller: Identity | null,
  input: ComplaintPolicyInput,
): Promise<ComplaintPolicyRecord> {
  const me = requireRole(caller, ...CAN_EDIT_RULES);
  return deps.orm.em.fork().transactional(async (em) => {
    const record = await em.findOneOrFail(
      ComplaintPolicyRecord,
      { id: 1 },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const revised: ComplaintPolicy = revisePolicy(record, input);
    Object.assign(record, {
      routing: revised.routing,
      approvalTiers: [...revised.approvalTiers],
      majorRules: revised.majorRules,
      updatedBy: me.userId,
      updatedAt: deps.now(),
    });
    return record;
  });
}
