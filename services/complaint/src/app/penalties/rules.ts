import { type EntityManager, type Identity, requireRole } from '@aftercare/kit';
import { PenaltyRuleRecord } from '../../db/penalties';
import { type PenaltyRule, type PenaltyRuleInput, parsePenaltyRule } from '../../domain/penalties';
import { ANY_STAFF, CAN_EDIT_PENALTY_RULES } from './access';
import type { PenaltyDeps } from './deps';

export const toRule = (r: PenaltyRuleRecord): PenaltyRule => ({
  code: r.code,
  description: r.description,
  kind: r.kind,
  points: r.points,
  fineFen: r.fineFen,
  source: r.source,
  ...(r.doublingRoles.length > 0 ? { doublingRoles: r.doublingRoles } : {}),
});

/** R-PN-1: the rules, for everyone who sees penalties. */
export async function listPenaltyRules(em: EntityManager, caller: Identity | null) {
  requireRole(caller, ...ANY_STAFF);
  return em.find(PenaltyRuleRecord, {}, { orderBy: { code: 'asc' } });
}

/** The rules by code, in the order asked (null for an unknown code): one query per request. */
export async function penaltyRulesByCode(
  em: EntityManager,
  caller: Identity | null,
  codes: readonly string[],
): Promise<(PenaltyRuleRecord | null)[]> {
  const all = await listPenaltyRules(em, caller);
  return codes.map((c) => all.find((r) => r.code === c) ?? null);
}

/** R-PN-1: a manager adds or edits a rule; past ledger lines keep what they were assessed at. */
export async function upsertPenaltyRule(
  deps: PenaltyDeps,
  caller: Identity | null,
  input: PenaltyRuleInput,
): Promise<PenaltyRuleRecord> {
  const me = requireRole(caller, ...CAN_EDIT_PENALTY_RULES);
  const rule = parsePenaltyRule(input, 'input');
  return deps.orm.em.fork().transactional(async (em) => {
    const record =
      (await em.findOne(PenaltyRuleRecord, { code: rule.code })) ??
      Object.assign(new PenaltyRuleRecord(), { code: rule.code });
    Object.assign(record, {
      description: rule.description,
      kind: rule.kind,
      points: rule.points,
      fineFen: rule.fineFen,
      source: rule.source,
      doublingRoles: [...(rule.doublingRoles ?? [])],
      updatedBy: me.userId,
      updatedAt: deps.now(),
    });
    em.persist(record);
    return record;
  });
}
