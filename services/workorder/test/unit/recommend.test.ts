import { BusinessCalendar } from '@aftercare/calendar';
import {
  type Candidate,
  type DispatchTarget,
  EMPTY_QUALIFICATIONS,
  parseQualifications,
  DEFAULT_FAULT_CATEGORIES,
  recommendTechnicians,
} from '../../src/domain';

// A hand-computed fixture. Working hours 08:30–17:30 Mon–Fri (Asia/Shanghai). The job: ELECTRICAL
// on product line EV-100 in Hangzhou, appointed Monday 10:00, next deadline Monday 15:00. Each
// open order ahead of it is assumed to take 2 working hours.
const calendar = new BusinessCalendar();
const at = (local: string) => calendar.fromLocal(local);
const hangzhou = { province: 'Zhejiang', city: 'Hangzhou' };
const ev100 = parseQualifications(
  { skills: [{ category: 'ELECTRICAL', productLine: 'EV-100' }] },
  DEFAULT_FAULT_CATEGORIES,
);
const person = (id: string, over: Partial<Candidate>): Candidate => ({
  id,
  active: true,
  skills: ['ELECTRICAL'],
  region: hangzhou,
  qualifications: EMPTY_QUALIFICATIONS,
  shifts: null,
  leave: [],
  openOrders: 0,
  ...over,
});
const candidates: Candidate[] = [
  // start 10:00, 5 h to spare; category skill; same city
  person('a', {}),
  // start 12:00, 3 h to spare; EV-100 skill; same province
  person('b', {
    skills: [],
    qualifications: ev100,
    region: { province: 'Zhejiang', city: 'Ningbo' },
    openOrders: 1,
  }),
  // start 16:00, 1 h late; EV-100 skill; same city
  person('c', { skills: [], qualifications: ev100, openOrders: 3 }),
  // start 10:00, 5 h to spare; covers every region
  person('d', { region: null }),
  // start 14:00, 1 h to spare; same city
  person('e', { openOrders: 2 }),
  // left out: on leave, not qualified, inactive
  person('f', {
    leave: [
      { id: 'l', startsAt: at('2026-11-30T00:00'), endsAt: at('2026-12-01T00:00'), kind: 'SICK' },
    ],
  }),
  person('g', { skills: ['BODY'] }),
  person('h', { active: false }),
];
const target: DispatchTarget = {
  region: { ...hangzhou, district: null },
  category: 'ELECTRICAL',
  productLine: 'EV-100',
  appointedAt: at('2026-11-30T10:00'),
  calendar,
};

describe('R-WO-11 dispatch recommendation', () => {
  it('R-WO-11 ranks available, qualified technicians: deadline met, product line, region, load, slack', () => {
    const ranked = recommendTechnicians(candidates, target, at('2026-11-30T15:00'), calendar);
    expect(
      ranked.map((r) => [
        r.rank,
        r.technicianId,
        r.skillMatch,
        r.regionMatch,
        r.openOrders,
        r.slackHours,
      ]),
    ).toEqual([
      [1, 'b', 'PRODUCT_LINE', 'PROVINCE', 1, 3],
      [2, 'a', 'CATEGORY', 'CITY', 0, 5],
      [3, 'e', 'CATEGORY', 'CITY', 2, 1],
      [4, 'd', 'CATEGORY', 'ANYWHERE', 0, 5],
      [5, 'c', 'PRODUCT_LINE', 'CITY', 3, -1],
    ]);
    expect(ranked[0]).toMatchObject({
      expectedStartAt: at('2026-11-30T12:00'),
      reasons: [
        'skilled for ELECTRICAL on EV-100',
        'works in the same province',
        '1 open order',
        '3 working hours to spare before the next deadline',
      ],
    });
    expect(ranked[4]).toMatchObject({
      expectedStartAt: at('2026-11-30T16:00'),
      reasons: [
        'skilled for ELECTRICAL on EV-100',
        'works in the same city',
        '3 open orders',
        'would be 1 working hours late for the next deadline',
      ],
    });
  });

  it('R-WO-11 an order without a deadline ranks by product line, region and load alone', () => {
    const ranked = recommendTechnicians(candidates, target, null, calendar);
    expect(ranked.map((r) => r.technicianId)).toEqual(['c', 'b', 'a', 'e', 'd']);
    expect(ranked[0]!.reasons.at(-1)).toBe('the order has no deadline to meet');
  });

  it('R-WO-11 nobody available and qualified: an empty list', () => {
    expect(recommendTechnicians(candidates.slice(5), target, null, calendar)).toEqual([]);
  });
});
