import { BusinessCalendar } from '@aftercare/calendar';
import { slaPolicyChanged } from '@aftercare/events';
import {
  DEFAULT_SLA_POLICIES,
  DEFAULT_FAULT_CATEGORIES,
  SUPPLIER_INVOLVED_POLICY,
  computeDeadlines,
  createPolicy,
  policyChangedEventData,
  retirePolicy,
  revisePolicy,
  selectPolicy,
} from '../../src/domain';
import { errorOf } from './helpers';

const calendar = new BusinessCalendar();
const monday9 = calendar.fromLocal('2026-11-30T09:00');
const edit = {
  actor: 'mgr-1',
  now: new Date('2026-12-01T02:00:00Z'),
  categories: DEFAULT_FAULT_CATEGORIES,
};
const policies = [...DEFAULT_SLA_POLICIES, SUPPLIER_INVOLVED_POLICY];

describe('R-WO-12 the supplier-involved case of the 12 h answer', () => {
  it('R-WO-12 a request that needs the supplier is answered within 12 h, wherever the site is', () => {
    const urban = { areaType: 'URBAN' as const, distanceKm: 5, category: 'ELECTRICAL' };
    expect(selectPolicy(policies, urban).id).toBe('urban-within-100km');
    const withSupplier = selectPolicy(policies, { ...urban, supplierInvolved: true });
    expect(withSupplier.id).toBe('supplier-involved');
    expect(computeDeadlines(withSupplier, monday9, calendar)).toEqual({
      answerDueAt: new Date(monday9.getTime() + 12 * 3_600_000),
      arrivalDueAt: null,
      onSiteDueAt: null,
    });
    // Beyond 100 km the answer was due within 12 h anyway; the supplier case does not loosen it.
    expect(
      selectPolicy(policies, { ...urban, distanceKm: 300, supplierInvolved: true }).answerHours,
    ).toBe(12);
  });

  it('R-WO-12 a policy for requests without the supplier does not apply to one that needs it', () => {
    const noSupplier = {
      ...DEFAULT_SLA_POLICIES[0]!,
      id: 'a-no-supplier',
      supplierInvolved: false,
      priority: 5,
    };
    const subject = { areaType: 'URBAN' as const, distanceKm: 5, category: 'BODY' };
    expect(selectPolicy([noSupplier, ...DEFAULT_SLA_POLICIES], subject).id).toBe('a-no-supplier');
    expect(
      errorOf(() => selectPolicy([noSupplier], { ...subject, supplierInvolved: true })),
    ).toMatchObject({ reason: 'NO_SLA_POLICY' });
  });
});

describe('R-WO-12 versioned SLA policies', () => {
  const created = createPolicy(
    {
      id: 'battery-urban',
      areaType: 'URBAN',
      category: 'BATTERY',
      answerHours: 8,
      arrivalWorkingHours: 4,
      reason: 'battery fires',
    },
    edit,
  );

  it('R-WO-12 a new policy is version 1, with who, when and why', () => {
    expect(created).toMatchObject({
      id: 'battery-urban',
      version: 1,
      change: 'CREATED',
      retired: false,
      areaType: 'URBAN',
      category: 'BATTERY',
      supplierInvolved: null,
      minDistanceKm: 0,
      maxDistanceKm: null,
      answerHours: 8,
      arrivalWorkingHours: 4,
      onSiteHours: null,
      priority: 0,
      changedBy: 'mgr-1',
      changedAt: edit.now,
      reason: 'battery fires',
    });
  });

  it('R-WO-12 each bad value is refused with its field and a reason', () => {
    const bad = (input: object) =>
      errorOf(() => createPolicy({ id: 'p', answerHours: 24, reason: 'r', ...input }, edit));
    expect(bad({ id: 'no spaces!' })).toMatchObject({ field: 'id', reason: 'INVALID_POLICY_ID' });
    expect(bad({ id: ' ' })).toMatchObject({ field: 'id', reason: 'REQUIRED' });
    expect(bad({ answerHours: 0 })).toMatchObject({ field: 'answerHours', reason: 'OUT_OF_RANGE' });
    expect(bad({ answerHours: null })).toMatchObject({ field: 'answerHours', reason: 'REQUIRED' });
    expect(bad({ arrivalWorkingHours: -1 })).toMatchObject({
      field: 'arrivalWorkingHours',
      reason: 'OUT_OF_RANGE',
    });
    expect(bad({ onSiteHours: 9000 })).toMatchObject({
      field: 'onSiteHours',
      reason: 'OUT_OF_RANGE',
    });
    expect(bad({ minDistanceKm: 50, maxDistanceKm: 10 })).toMatchObject({
      field: 'maxDistanceKm',
      reason: 'OUT_OF_RANGE',
    });
    expect(bad({ areaType: 'CITY' })).toMatchObject({ field: 'areaType', reason: 'INVALID_VALUE' });
    expect(bad({ category: 'PLUMBING' })).toMatchObject({
      field: 'category',
      reason: 'INVALID_VALUE',
    });
    expect(bad({ priority: 1.5 })).toMatchObject({ field: 'priority', reason: 'NOT_AN_INTEGER' });
    expect(bad({ reason: '  ' })).toMatchObject({ field: 'reason', reason: 'REQUIRED' });
    expect(bad({ reason: 'x'.repeat(501) })).toMatchObject({ field: 'reason', reason: 'TOO_LONG' });
  });

  it('R-WO-12 a change makes the next version: terms left out are kept, null clears one', () => {
    const later = { ...edit, actor: 'mgr-2', now: new Date('2026-12-02T02:00:00Z') };
    const v2 = revisePolicy(
      created,
      { answerHours: 6, arrivalWorkingHours: null, reason: 'faster' },
      later,
    );
    expect(v2).toMatchObject({
      id: 'battery-urban',
      version: 2,
      change: 'CHANGED',
      areaType: 'URBAN',
      category: 'BATTERY',
      answerHours: 6,
      arrivalWorkingHours: null,
      changedBy: 'mgr-2',
      changedAt: later.now,
      reason: 'faster',
    });
    // The version it came from is untouched: it stays on record.
    expect(created).toMatchObject({ version: 1, answerHours: 8, arrivalWorkingHours: 4 });
  });

  it('R-WO-12 a change is refused when it changes nothing, is stale, is invalid or lacks a reason', () => {
    expect(
      errorOf(() => revisePolicy(created, { answerHours: 8, reason: 'same' }, edit)),
    ).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'SLA_POLICY_UNCHANGED' });
    expect(
      errorOf(() =>
        revisePolicy(created, { answerHours: 6, expectedVersion: 2, reason: 'r' }, edit),
      ),
    ).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'SLA_POLICY_VERSION_STALE' });
    expect(
      errorOf(() => revisePolicy(created, { answerHours: -2, reason: 'r' }, edit)),
    ).toMatchObject({
      field: 'answerHours',
      reason: 'OUT_OF_RANGE',
    });
    expect(errorOf(() => revisePolicy(created, { answerHours: 6 }, edit))).toMatchObject({
      field: 'reason',
      reason: 'REQUIRED',
    });
    expect(
      revisePolicy(created, { answerHours: 6, expectedVersion: 1, reason: 'r' }, edit).version,
    ).toBe(2);
  });

  it('R-WO-12 retiring makes a last version; a retired policy cannot change again', () => {
    const retired = retirePolicy(created, { reason: 'merged into urban' }, edit);
    expect(retired).toMatchObject({ version: 2, change: 'RETIRED', retired: true, answerHours: 8 });
    expect(
      errorOf(() => revisePolicy(retired, { answerHours: 2, reason: 'r' }, edit)),
    ).toMatchObject({
      reason: 'SLA_POLICY_RETIRED',
    });
    expect(errorOf(() => retirePolicy(retired, { reason: 'again' }, edit))).toMatchObject({
      reason: 'SLA_POLICY_RETIRED',
    });
  });

  it('R-WO-12 an order keeps the version it was registered with: its deadlines come from that version alone', () => {
    const v2 = revisePolicy(
      created,
      { answerHours: 2, arrivalWorkingHours: 1, reason: 'rush' },
      edit,
    );
    expect(computeDeadlines(created, monday9, calendar)).toEqual({
      answerDueAt: new Date(monday9.getTime() + 8 * 3_600_000),
      arrivalDueAt: calendar.fromLocal('2026-11-30T13:00'),
      onSiteDueAt: null,
    });
    expect(computeDeadlines(v2, monday9, calendar).arrivalDueAt).toEqual(
      calendar.fromLocal('2026-11-30T10:00'),
    );
  });

  it('R-WO-12 the change event carries the new version with who, when and why', () => {
    const data = policyChangedEventData(created);
    expect(slaPolicyChanged.parse(data)).toEqual(data);
    expect(data).toMatchObject({
      policyId: 'battery-urban',
      version: 1,
      change: 'CREATED',
      changedBy: 'mgr-1',
      changedAt: '2026-12-01T02:00:00.000Z',
      reason: 'battery fires',
    });
  });
});
