import { type Answers, isSatisfied, levelValue } from './template';

/** An answered survey as the scores see it. */
export interface ScoredSurvey {
  technicianIds: string[];
  answers: Answers;
}

export interface SatisfactionFigures {
  /** Rated item answers counted. */
  answers: number;
  /** Of them SATISFIED or VERY_SATISFIED. */
  satisfied: number;
  /** satisfied / answers, null without answers. */
  rate: number | null;
}

/**
 * KPI satisfaction (SPEC §6): (satisfied + very satisfied) answers / answers. Every rated item
 * of an answered survey is one answer; suggestions are not rated.
 */
export function satisfaction(surveys: readonly ScoredSurvey[]): SatisfactionFigures {
  let answers = 0;
  let satisfied = 0;
  for (const s of surveys)
    for (const a of s.answers.items) {
      answers += 1;
      if (isSatisfied(a.level)) satisfied += 1;
    }
  return { answers, satisfied, rate: answers ? satisfied / answers : null };
}

export interface TechnicianRating extends SatisfactionFigures {
  technicianId: string;
  surveys: number;
  /** Mean level of the technician's rated answers, 1 (very dissatisfied) … 4; null without any. */
  average: number | null;
  /** Mean level per template item, e.g. attitude 3.5. */
  byItem: { item: string; average: number }[];
}

/**
 * R-SV-5: a technician's rating over the surveys of the work orders they were assigned to
 * (each technician of a team gets the team's answer).
 */
export function technicianRating(
  technicianId: string,
  surveys: readonly ScoredSurvey[],
): TechnicianRating {
  const mine = surveys.filter((s) => s.technicianIds.includes(technicianId));
  const perItem = new Map<string, number[]>();
  let sum = 0;
  let n = 0;
  for (const s of mine)
    for (const a of s.answers.items) {
      const v = levelValue(a.level);
      sum += v;
      n += 1;
      perItem.set(a.item, [...(perItem.get(a.item) ?? []), v]);
    }
  return {
    technicianId,
    surveys: mine.length,
    ...satisfaction(mine),
    average: n ? sum / n : null,
    byItem: [...perItem].map(([item, vs]) => ({
      item,
      average: vs.reduce((x, y) => x + y, 0) / vs.length,
    })),
  };
}

/** KPI follow-up rate: warranty work orders followed up / warranty work orders (target 100%). */
export function followUpRate(orders: readonly { workOrderId: string; followedUp: boolean }[]): {
  workOrders: number;
  followedUp: number;
  rate: number | null;
} {
  const followedUp = orders.filter((o) => o.followedUp).length;
  return {
    workOrders: orders.length,
    followedUp,
    rate: orders.length ? followedUp / orders.length : null,
  };
}
