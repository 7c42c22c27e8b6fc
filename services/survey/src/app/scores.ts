import {
  type EntityManager,
  type Identity,
  isoDate,
  optionalText,
  requireRole,
} from '@aftercare/kit';
import { FollowUpRecord, SurveyRecord } from '../db/entities';
import {
  checkPeriod,
  followUpRate,
  monthRange,
  satisfaction,
  type ScoredSurvey,
  type SurveyKind,
  technicianRating,
} from '../domain';
import { CAN_READ_SCORES, requireRatingReader } from './access';

export interface PeriodFilter {
  from?: string | null;
  to?: string | null;
  province?: string | null;
  city?: string | null;
}

function period(f: PeriodFilter) {
  const from = isoDate(f.from, 'from');
  const to = isoDate(f.to, 'to');
  checkPeriod(from, to);
  const province = optionalText(f.province, 'province', 50);
  const city = optionalText(f.city, 'city', 50);
  return {
    serviceDate: { $gte: from, $lte: to },
    ...(province ? { province } : {}),
    ...(city ? { city } : {}),
  };
}

const scored = (s: SurveyRecord): ScoredSurvey => ({
  technicianIds: s.technicianIds,
  answers: s.answers!,
});

async function answered(
  em: EntityManager,
  kind: SurveyKind,
  where: object,
): Promise<ScoredSurvey[]> {
  const rows = await em.find(SurveyRecord, { kind, status: 'ANSWERED', ...where });
  return rows.map(scored);
}

/**
 * KPI satisfaction over the surveys of services in the period (business dates of completion) and
 * region. `kind` COMPLAINT_HANDLING rates the complaint handling instead (R-SV-5).
 */
export async function satisfactionRate(
  em: EntityManager,
  caller: Identity | null,
  filter: PeriodFilter & { kind?: SurveyKind | null },
) {
  requireRole(caller, ...CAN_READ_SCORES);
  return satisfaction(await answered(em, filter.kind ?? 'WORK_ORDER', period(filter)));
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

/** KPI follow-up rate: warranty work orders of the period and region followed up / all of them. */
export async function followUpRateOf(
  em: EntityManager,
  caller: Identity | null,
  filter: PeriodFilter,
) {
  requireRole(caller, ...CAN_READ_SCORES);
  const rows = await em.find(
    FollowUpRecord,
    { serviceType: 'WARRANTY', ...period(filter) },
    { fields: ['workOrderId', 'followedUp'] },
  );
  const byOrder = new Map<string, boolean>();
  for (const r of rows)
    byOrder.set(r.workOrderId, (byOrder.get(r.workOrderId) ?? false) || r.followedUp);
  return followUpRate(
    [...byOrder].map(([workOrderId, followedUp]) => ({ workOrderId, followedUp })),
  );
}
