import { followUpRate, type Level, satisfaction, technicianRating } from '../../src/domain';

const survey = (technicianIds: string[], levels: Level[]) => ({
  technicianIds,
  answers: {
    items: levels.map((level, i) => ({
      item: ['attitude', 'skill', 'arrival_on_time', 'promises_kept'][i]!,
      level,
    })),
    suggestions: null,
  },
});

describe('scores (R-SV-5, KPIs)', () => {
  const surveys = [
    survey(['t1'], ['VERY_SATISFIED', 'VERY_SATISFIED', 'SATISFIED', 'SATISFIED']),
    survey(['t1', 't2'], ['DISSATISFIED', 'SATISFIED', 'SATISFIED', 'VERY_DISSATISFIED']),
    survey(['t2'], ['SATISFIED', 'SATISFIED', 'SATISFIED', 'SATISFIED']),
  ];

  it('KPI satisfaction = (satisfied + very satisfied) answers / answers', () => {
    // 4 + 2 + 4 satisfied of 12 answers.
    // Per answer, not per survey: the second survey counts 2 of its 4 answers as satisfied.
    expect(satisfaction(surveys)).toEqual({
      answers: 12,
      satisfied: 10,
      rate: 10 / 12,
      surveys: 3,
      satisfiedSurveys: 2,
    });
    expect(satisfaction([])).toEqual({
      answers: 0,
      satisfied: 0,
      rate: null,
      surveys: 0,
      satisfiedSurveys: 0,
    });
  });

  it("R-SV-5 a technician's rating averages the levels of their surveys", () => {
    const t1 = technicianRating('t1', surveys);
    // (4+4+3+3 + 2+3+3+1) / 8 = 23 / 8
    expect(t1).toMatchObject({ surveys: 2, answers: 8, satisfied: 6, average: 23 / 8 });
    expect(t1.byItem.find((i) => i.item === 'attitude')!.average).toBe(3);
    expect(technicianRating('t9', surveys)).toMatchObject({
      surveys: 0,
      average: null,
      rate: null,
    });
  });

  it('KPI follow-up rate = warranty work orders followed up / warranty work orders', () => {
    expect(
      followUpRate([
        { workOrderId: 'w1', followedUp: true },
        { workOrderId: 'w2', followedUp: false },
        { workOrderId: 'w3', followedUp: true },
        { workOrderId: 'w4', followedUp: true },
      ]),
    ).toEqual({ workOrders: 4, followedUp: 3, rate: 0.75 });
  });
});
