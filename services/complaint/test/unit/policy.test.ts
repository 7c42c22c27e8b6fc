import {
  COMPLAINT_CATEGORIES,
  DEFAULT_COMPLAINT_POLICY,
  DEFAULT_DEPARTMENT_ROUTING,
  parseMajorRules,
  parseRouting,
  revisePolicy,
} from '../../src/domain';
import { errorOf } from './helpers';

const fails = (fn: () => unknown) => errorOf(fn);

const routes = COMPLAINT_CATEGORIES.map((category) => ({
  category,
  department: DEFAULT_DEPARTMENT_ROUTING[category],
}));

describe('R-CO-2 routing table as data', () => {
  it('routes every category to a department', () => {
    expect(parseRouting(routes)).toEqual(DEFAULT_DEPARTMENT_ROUTING);
    expect(
      parseRouting(
        routes.map((r) => (r.category === 'TRANSPORT' ? { ...r, department: 'fleet' } : r)),
      ).TRANSPORT,
    ).toBe('fleet');
  });
  it('refuses a missing, repeated or unknown category and an empty department', () => {
    expect(fails(() => parseRouting(routes.slice(1)))).toMatchObject({ reason: 'INCOMPLETE' });
    expect(fails(() => parseRouting([...routes, routes[0]!]))).toMatchObject({
      reason: 'TOO_MANY',
    });
    expect(fails(() => parseRouting([{ category: 'WEATHER', department: 'x' }]))).toMatchObject({
      field: 'routing.0.category',
    });
    expect(
      fails(() => parseRouting(routes.map((r, i) => (i === 2 ? { ...r, department: ' ' } : r)))),
    ).toMatchObject({ field: 'routing.2.department' });
  });
});

describe('R-CO-3 major-complaint rules as data', () => {
  it('parses channels, demands and the repeat window; null switches repeats off', () => {
    expect(
      parseMajorRules({
        repeatWindowDays: null,
        channels: ['MEDIA'],
        demands: [],
        highImpact: true,
      }),
    ).toEqual({
      repeatWindowDays: null,
      channels: ['MEDIA'],
      demands: [],
      highImpact: true,
      disturbance: false,
    });
  });
  it('refuses unknown channels, repeated demands and a silly window', () => {
    expect(fails(() => parseMajorRules({ channels: ['TV'] }))).toMatchObject({
      field: 'majorRules.channels.0',
    });
    expect(fails(() => parseMajorRules({ demands: ['RETURN', 'RETURN'] }))).toMatchObject({
      reason: 'DUPLICATE',
    });
    expect(fails(() => parseMajorRules({ repeatWindowDays: 0 }))).toMatchObject({
      field: 'majorRules.repeatWindowDays',
    });
  });
});

describe('policy revision', () => {
  it('replaces only the parts given', () => {
    const revised = revisePolicy(DEFAULT_COMPLAINT_POLICY, {
      approvalTiers: [
        { maxFen: 10_000, role: 'customer_relations' },
        { maxFen: null, role: 'manager' },
      ],
    });
    expect(revised.routing).toBe(DEFAULT_COMPLAINT_POLICY.routing);
    expect(revised.majorRules).toBe(DEFAULT_COMPLAINT_POLICY.majorRules);
    expect(revised.approvalTiers).toEqual([
      { maxFen: 10_000, role: 'customer_relations' },
      { maxFen: null, role: 'manager' },
    ]);
  });
});
