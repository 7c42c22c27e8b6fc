import type { BusinessCalendar } from '@aftercare/calendar';
import { type DispatchTarget, peopleRefusalsFor, type Technician } from './dispatch';

/**
 * R-WO-11: the working hours an open order ahead of the job is assumed to take a technician. The
 * rulebook gives no figure; two hours is a typical field job, and the assumption only orders
 * candidates by how late they could start, it promises nothing.
 */
export const HOURS_PER_OPEN_ORDER = 2;

export type SkillMatch = 'PRODUCT_LINE' | 'CATEGORY';
export type RegionMatch = 'CITY' | 'PROVINCE' | 'ANYWHERE' | 'ELSEWHERE';

export interface Candidate extends Technician {
  /** Open orders assigned to them now (their load). */
  openOrders: number;
}

export interface Recommendation {
  rank: number;
  technicianId: string;
  skillMatch: SkillMatch;
  regionMatch: RegionMatch;
  openOrders: number;
  /** When they could start: the appointment, plus HOURS_PER_OPEN_ORDER working hours per open order. */
  expectedStartAt: Date;
  /** Working hours from the expected start to the order's next deadline; negative: they would miss it; null: no deadline. */
  slackHours: number | null;
  reasons: string[];
}

const REGION_ORDER: readonly RegionMatch[] = ['CITY', 'PROVINCE', 'ANYWHERE', 'ELSEWHERE'];

function regionMatch(c: Candidate, target: DispatchTarget): RegionMatch {
  if (!c.region) return 'ANYWHERE';
  if (!target.region) return 'ANYWHERE';
  if (c.region.province !== target.region.province) return 'ELSEWHERE';
  return c.region.city === target.region.city ? 'CITY' : 'PROVINCE';
}

/** A skill named for the job's own product line beats one for every line. */
function skillMatch(c: Candidate, target: DispatchTarget): SkillMatch {
  const exact =
    target.productLine !== null &&
    c.qualifications.skills.some(
      (s) => s.category === target.category && s.productLine === target.productLine,
    );
  return exact ? 'PRODUCT_LINE' : 'CATEGORY';
}

const hours = (ms: number) => Math.round((ms / 3_600_000) * 100) / 100;

/**
 * R-WO-11 ranks the technicians available at the appointment and qualified for the job (R-WO-10
 * refusals leave one out), best first, by, in this order:
 * 1. would meet the order's next deadline (slack ≥ 0) before would not;
 * 2. skill on the job's product line before a skill for the category alone;
 * 3. region: same city, same province, covers every region, elsewhere;
 * 4. fewer open orders;
 * 5. more slack (working hours to the next deadline from when they could start);
 * 6. user id, so the order is stable.
 * Each comes with its reasons in words; the dispatcher decides.
 */
export function recommendTechnicians(
  candidates: readonly Candidate[],
  target: DispatchTarget,
  nextDueAt: Date | null,
  calendar: BusinessCalendar,
): Recommendation[] {
  const refusals = peopleRefusalsFor(target);
  // When one could start and the slack left depend on the load alone: worked out once per load,
  // not once per person (time-zone arithmetic is most of what ranking a roster costs).
  const timings = new Map<number, { expectedStartAt: Date; slackHours: number | null }>();
  const timingOf = (openOrders: number) => {
    let timing = timings.get(openOrders);
    if (!timing) {
      const expectedStartAt = calendar.addWorkingHours(
        target.appointedAt,
        openOrders * HOURS_PER_OPEN_ORDER,
      );
      const slackHours =
        nextDueAt === null ? null : hours(calendar.workingTimeBetween(expectedStartAt, nextDueAt));
      timing = { expectedStartAt, slackHours };
      timings.set(openOrders, timing);
    }
    return timing;
  };
  return candidates
    .filter((c) => c.active && refusals(c).length === 0)
    .map((c) => {
      const { expectedStartAt, slackHours } = timingOf(c.openOrders);
      const skill = skillMatch(c, target);
      const region = regionMatch(c, target);
      return {
        rank: 0,
        technicianId: c.id,
        skillMatch: skill,
        regionMatch: region,
        openOrders: c.openOrders,
        expectedStartAt,
        slackHours,
        reasons: [
          skill === 'PRODUCT_LINE'
            ? `skilled for ${target.category} on ${target.productLine}`
            : `skilled for ${target.category}`,
          {
            CITY: 'works in the same city',
            PROVINCE: 'works in the same province',
            ANYWHERE: 'covers every region',
            ELSEWHERE: 'works in another province',
          }[region],
          `${c.openOrders} open order${c.openOrders === 1 ? '' : 's'}`,
          slackHours === null
            ? 'the order has no deadline to meet'
            : slackHours >= 0
              ? `${slackHours} working hours to spare before the next deadline`
              : `would be ${-slackHours} working hours late for the next deadline`,
        ],
      };
    })
    .sort(
      (a, b) =>
        Number((b.slackHours ?? 0) >= 0) - Number((a.slackHours ?? 0) >= 0) ||
        Number(b.skillMatch === 'PRODUCT_LINE') - Number(a.skillMatch === 'PRODUCT_LINE') ||
        REGION_ORDER.indexOf(a.regionMatch) - REGION_ORDER.indexOf(b.regionMatch) ||
        a.openOrders - b.openOrders ||
        (b.slackHours ?? 0) - (a.slackHours ?? 0) ||
        (a.technicianId < b.technicianId ? -1 : a.technicianId > b.technicianId ? 1 : 0),
    )
    .map((r, i) => ({ ...r, rank: i + 1 }));
}
