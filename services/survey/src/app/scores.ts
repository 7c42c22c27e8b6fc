import { type EntityManager, type Identity, requireRole } from '@aftercare/kit';
import { type KpiScope, type KpiScopeArgs, parseKpiScopeArgs } from '@aftercare/kernel';
import { FollowUpRecord, SurveyRecord } from '../db/entities';
import {
  followUpRate,
  monthRange,
  satisfaction,
  type ScoredSurvey,
  type SurveyKind,
  technicianRating,
} from '../domain';
import { CAN_READ_SCORES, requireRatingReader } from './access';

/** The rows of a KPI scope: services of the period (business dates), region and station. */
function period(scope: KpiScope) {
  const { from, to, province, city, district, stationCode } = scope;
  return {
    serviceDate: { $gte: from, $lte: to },
    ...(province ? { province } : {}),
    ...(city ? { city } : {}),
    ...(district ? { district } : {}),
    ...(stationCode ? { stationCode } : {}),
  };
}

/**
 * The technician filter, applied to the rows of the period (technician ids are a JSON list): each
 * technician of a team counts the order.
 */
function byTechnician(scope: KpiScope): (row: { technicianIds: string[] }) => boolean {
  const id = scope.technicianId;
  return id ? (row) => row.technicianIds.includes(id) : () => true;
}

const scored = (s: SurveyRecord): ScoredSurvey => ({
  technicianIds: s.technicianIds,
  answers: s.answers!,
});

async function answered(
  em: EntityManager,
  kind: SurveyKind,
  where: object,
  keep: (row: { technicianIds: string[] }) => boolean = () => true,
): Promise<ScoredSurvey[]> {
  const rows = await em.find(SurveyRecord, { kind, status: 'ANSWERED', ...where });
  return rows.filter(keep).map(scored);
}

/**
 * KPI satisfaction over the surveys of services in the period (business dates of completion) and
 * region. `kind` COMPLAINT_HANDLING rates the complaint handling instead (R-SV-5).
 */
export async function satisfactionRate(
  em: EntityManager,
  caller: Identity | null,
  { kind, ...args }: KpiScopeArgs & { kind?: SurveyKind | null },
) {
  requireRole(caller, ...CAN_READ_SCORES);
  const scope = parseKpiScopeArgs(args);
  return satisfaction(await answered(em, kind ?? 'WORK_ORDER', period(scope), byTechnician(scope)));
}

/**
 * R-SV-5: technicians' ratings of a month (the business month of the service), batched: one query
 * for all technicians asked.
 */
export async function technicianRatings(
  em: EntityManager,
  caller: Identity | null,
  technicianIds: readonly string[],
  month: string,
) {
  for (const id of technicianIds) requireRatingReader(caller, id);
  const { from, to } = monthRange(month);
  const surveys = await answered(em, 'WORK_ORDER', { serviceDate: { $gte: from, $lte: to } });
  return technicianIds.map((id) => ({ ...technicianRating(id, surveys), month }));
}

type Rating = Awaited<ReturnType<typeof technicianRatings>>[number];

/**
 * Ratings asked by (month, technician), for a list of staff: one query per month however many are
 * shown. A technician sees their own rating and an error in each other one's place — one
 * forbidden rating must not fail the others.
 */
export async function ratingsOf(
  em: EntityManager,
  caller: Identity | null,
  wanted: readonly { month: string; technicianId: string }[],
): Promise<(Rating | Error)[]> {
  const results = new Map<string, Rating | Error>();
  const byMonth = new Map<string, string[]>();
  const keyOf = (month: string, id: string) => `${month}|${id}`;
  for (const { month, technicianId } of wanted) {
    try {
      requireRatingReader(caller, technicianId);
      byMonth.set(month, [...(byMonth.get(month) ?? []), technicianId]);
    } catch (e) {
      results.set(keyOf(month, technicianId), e as Error);
    }
  }
  for (const [month, ids] of byMonth)
    for (const r of await technicianRatings(em, caller, ids, month))
      results.set(keyOf(month, r.technicianId), r);
  return wanted.map(({ month, technicianId }) => results.get(keyOf(month, technicianId))!);
}

/**
 * KPI follow-up rate: warranty work orders of the period (business date of completion) and region
 * followed up / all of them. Followed up: a call of its plan reached the customer (or the customer
 * refused to talk) — a call not answered, or a callback still owed, is not a follow-up. A warranty
 * order without a customer has no one to call and no plan, so it is not counted.
 */
export async function followUpRateOf(
  em: EntityManager,
  caller: Identity | null,
  args: KpiScopeArgs,
) {
  requireRole(caller, ...CAN_READ_SCORES);
  const scope = parseKpiScopeArgs(args);
  const keep = byTechnician(scope);
  const rows = await em.find(
    FollowUpRecord,
    { serviceType: 'WARRANTY', ...period(scope) },
    { fields: ['workOrderId', 'followedUp', 'technicianIds'] },
  );
  const byOrder = new Map<string, boolean>();
  for (const r of rows.filter(keep))
    byOrder.set(r.workOrderId, (byOrder.get(r.workOrderId) ?? false) || r.followedUp);
  return followUpRate(
    [...byOrder].map(([workOrderId, followedUp]) => ({ workOrderId, followedUp })),
  );
}
