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
  /** satisfied / answers, null without answers: the KPI. */
  rate: number | null;
  /** Answered surveys counted … */
  surveys: number;
  /** … and of them those with every item satisfied or better (shown beside the KPI, not it). */
  satisfiedSurveys: number;
}

/**
 * KPI satisfaction (docs/rules.md §6): (satisfied + very satisfied) answers / answers. Every rated item
 * of an answered survey is one answer (seed 第十九条: each of the four items is rated on its own
 * four levels), so one poor item in an otherwise good survey weighs one in four, not the whole
 * survey; suggestions are not rated. Surveys whose items are all satisfied are counted beside it.
 */
export function satisfaction(surveys: readonly ScoredSurvey[]): SatisfactionFigures {
  let answers = 0;
  let satisfied = 0;
  let satisfiedSurveys = 0;
  for (const s of surveys) {
    for (const a of s.answers.items) {
      answers += 1;
      if (isSatisfied(a.level)) satisfied += 1;
    }
    if (s.answers.items.every((a) => isSatisfied(a.level))) satisfiedSurveys += 1;
  }
  return {
    answers,
    satisfied,
    rate: answers ? satisfied / answers : null,
    surveys: surveys.length,
    satisfiedSurveys,
  };
}

export interface TechnicianRating extends SatisfactionFigures {
  technicianId: string;
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
