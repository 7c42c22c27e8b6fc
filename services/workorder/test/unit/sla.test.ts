import { BusinessCalendar } from '@aftercare/calendar';
import {
  DEFAULT_SLA_POLICIES,
  SlaPolicy,
  breachesAt,
  computeDeadlines,
  nextDueAt,
  parseSlaPolicy,
  selectPolicy,
} from '../../src/domain';
import { errorOf } from './helpers';

const calendar = new BusinessCalendar();
const at = (local: string) => calendar.fromLocal(local);
const fridayFour = at('2026-11-27T16:00');

const deadlinesFor = (
  areaType: 'URBAN' | 'SUBURBAN' | 'RURAL',
  distanceKm: number,
  calledAt = fridayFour,
) =>
  computeDeadlines(
    selectPolicy(DEFAULT_SLA_POLICIES, { areaType, distanceKm, category: 'ELECTRICAL' }),
    calledAt,
    calendar,
  );

describe('SLA policies and deadlines', () => {
  it('R-WO-3 urban arrival within 6 working hours: Friday 16:00 is due Monday 13:00', () => {
    const d = deadlinesFor('URBAN', 12);
    expect(d.arrivalDueAt).toEqual(at('2026-11-30T13:00'));
    expect(d.answerDueAt).toEqual(at('2026-11-28T16:00'));
    expect(d.onSiteDueAt).toBeNull();
  });

  it('R-WO-3 suburban arrival within 7 working hours: Friday 16:00 is due Monday 14:00', () => {
    expect(deadlinesFor('SUBURBAN', 40).arrivalDueAt).toEqual(at('2026-11-30T14:00'));
  });

  it('R-WO-3 any request is answered within 24 elapsed hours, nights and weekends included', () => {
    expect(deadlinesFor('RURAL', 30).answerDueAt).toEqual(at('2026-11-28T16:00'));
  });

  it('R-WO-3 a field fault within 100 km (inclusive) is attended on site within 24 h', () => {
    for (const km of [0, 99.9, 100]) {
      const d = deadlinesFor('RURAL', km);
      expect(d).toEqual({
        answerDueAt: at('2026-11-28T16:00'),
        arrivalDueAt: null,
        onSiteDueAt: at('2026-11-28T16:00'),
      });
    }
  });

  it('R-WO-3 beyond 100 km the customer gets an answer within 12 h and no on-site promise', () => {
    for (const areaType of ['URBAN', 'SUBURBAN', 'RURAL'] as const) {
      expect(deadlinesFor(areaType, 100.1)).toEqual({
        answerDueAt: at('2026-11-28T04:00'),
        arrivalDueAt: null,
        onSiteDueAt: null,
      });
    }
  });

  it('R-WO-3 policies are data: the most specific match wins, then priority', () => {
    const battery: SlaPolicy = {
      id: 'urban-battery',
      areaType: 'URBAN',
      category: 'BATTERY',
      minDistanceKm: 0,
      maxDistanceKm: 50,
      arrivalWorkingHours: 4,
      answerHours: 2,
      onSiteHours: null,
      priority: 0,
    };
    const rushAll: SlaPolicy = {
      ...battery,
      id: 'rush',
      areaType: null,
      category: null,
      priority: 99,
    };
    const policies = [...DEFAULT_SLA_POLICIES, battery, rushAll];
    expect(
      selectPolicy(policies, { areaType: 'URBAN', distanceKm: 10, category: 'BATTERY' }).id,
    ).toBe('urban-battery');
    expect(selectPolicy(policies, { areaType: 'URBAN', distanceKm: 10, category: 'BODY' }).id).toBe(
      'urban-within-100km',
    );
    expect(selectPolicy(policies, { areaType: 'RURAL', distanceKm: 10, category: 'BODY' }).id).toBe(
      'rush',
    );
    expect(
      selectPolicy(policies, { areaType: 'URBAN', distanceKm: 60, category: 'BATTERY' }).id,
    ).toBe('urban-within-100km');
  });

  it('R-WO-3 refuses a case no configured policy covers', () => {
    expect(
      errorOf(() =>
        selectPolicy(DEFAULT_SLA_POLICIES.slice(0, 1), {
          areaType: 'RURAL',
          distanceKm: 5,
          category: 'BODY',
        }),
      ),
    ).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'NO_SLA_POLICY' });
  });

  it('R-WO-3 validates an edited policy with field paths', () => {
    expect(
      parseSlaPolicy({ id: ' p1 ', areaType: 'URBAN', answerHours: 24, arrivalWorkingHours: 6 }),
    ).toEqual({
      id: 'p1',
      areaType: 'URBAN',
      category: null,
      minDistanceKm: 0,
      maxDistanceKm: null,
      arrivalWorkingHours: 6,
      answerHours: 24,
      onSiteHours: null,
      priority: 0,
      supplierInvolved: null,
    });
    expect(errorOf(() => parseSlaPolicy({ id: 'p', answerHours: 0 }, 'policies.2'))).toMatchObject({
      field: 'policies.2.answerHours',
      reason: 'OUT_OF_RANGE',
    });
    expect(
      errorOf(() =>
        parseSlaPolicy({ id: 'p', answerHours: 1, minDistanceKm: 50, maxDistanceKm: 10 }),
      ),
    ).toMatchObject({ field: 'policy.maxDistanceKm', reason: 'OUT_OF_RANGE' });
    expect(
      errorOf(() => parseSlaPolicy({ id: 'p', answerHours: 1, areaType: 'CITY' })),
    ).toMatchObject({
      field: 'policy.areaType',
      reason: 'INVALID_VALUE',
    });
  });

  describe('breaches', () => {
    const d = deadlinesFor('URBAN', 10); // answer Sat 16:00, arrival Mon 13:00
    const mondayNoon = at('2026-11-30T12:00');

    it('R-WO-3 a deadline not yet passed is no breach, one passed and unmet is', () => {
      expect(breachesAt(d, {}, at('2026-11-28T16:00'))).toEqual([]);
      expect(breachesAt(d, {}, at('2026-11-28T16:00:01'))).toEqual(['ANSWER']);
      expect(breachesAt(d, { answeredAt: fridayFour }, at('2026-11-30T13:00:01'))).toEqual([
        'ARRIVAL',
      ]);
    });

    it('R-WO-3 a deadline met late is a breach, met on time is not, whatever now is', () => {
      const later = at('2026-12-30T12:00');
      expect(
        breachesAt(d, { answeredAt: at('2026-11-28T16:00'), arrivedAt: mondayNoon }, later),
      ).toEqual([]);
      expect(
        breachesAt(
          d,
          { answeredAt: at('2026-11-28T17:00'), arrivedAt: at('2026-11-30T13:30') },
          later,
        ),
      ).toEqual(['ANSWER', 'ARRIVAL']);
    });

    it('R-WO-3 the on-site deadline is met by the arrival', () => {
      const rural = deadlinesFor('RURAL', 80);
      expect(breachesAt(rural, { answeredAt: fridayFour }, at('2026-11-29T10:00'))).toEqual([
        'ON_SITE',
      ]);
      expect(
        breachesAt(
          rural,
          { answeredAt: fridayFour, arrivedAt: at('2026-11-28T15:00') },
          at('2026-12-01T10:00'),
        ),
      ).toEqual([]);
    });

    it('R-WO-3 the next deadline to meet, for the dispatch board', () => {
      expect(nextDueAt(d, {})).toEqual(at('2026-11-28T16:00'));
      expect(nextDueAt(d, { answeredAt: fridayFour })).toEqual(at('2026-11-30T13:00'));
      expect(nextDueAt(d, { answeredAt: fridayFour, arrivedAt: mondayNoon })).toBeNull();
    });
  });
});
