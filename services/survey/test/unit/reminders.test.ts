import {
  currentMaintenanceDue,
  addMonths,
  assetRemindersDue,
  DEFAULT_REMINDER_SETTINGS as S,
  invitationsDue,
  notifyDateOf,
  type AssetDates,
} from '../../src/domain';

const asset: AssetDates = {
  assetId: 'a1',
  customerId: 'c1',
  warrantyEnd: '2027-03-31',
  contractEnd: '2027-01-15',
  contractNumber: 'SC-1',
  nextMaintenanceDue: '2026-12-10',
  maintenanceCycleDays: null,
};

describe('reminders (R-SV-3)', () => {
  it('R-SV-3 contract expiry 1 month before, warranty expiry 3 months before, maintenance and invitations by days', () => {
    expect(notifyDateOf('CONTRACT_EXPIRY', '2027-01-15', S)).toBe('2026-12-15');
    expect(notifyDateOf('WARRANTY_EXPIRY', '2027-03-31', S)).toBe('2026-12-31');
    expect(notifyDateOf('WARRANTY_EXPIRY', '2027-05-31', S)).toBe('2027-02-28');
    expect(notifyDateOf('MAINTENANCE_DUE', '2026-12-10', S)).toBe('2026-12-03');
    expect(notifyDateOf('EVENT_INVITATION', '2026-12-20', S)).toBe('2026-12-06');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
  });

  it('R-SV-3 generates each reminder from its day on, and not the day before', () => {
    const kinds = (today: string) => assetRemindersDue(asset, today, S).map((r) => r.kind);
    expect(kinds('2026-12-02')).toEqual([]);
    expect(kinds('2026-12-03')).toEqual(['MAINTENANCE_DUE']);
    expect(kinds('2026-12-14')).toEqual([]);
    expect(kinds('2026-12-15')).toEqual(['CONTRACT_EXPIRY']);
    expect(kinds('2026-12-31')).toEqual(['CONTRACT_EXPIRY', 'WARRANTY_EXPIRY']);
    expect(kinds('2027-01-16')).toEqual(['WARRANTY_EXPIRY']);
  });

  it('R-SV-3 the key makes a reminder unique per kind, asset and target date', () => {
    const [a] = assetRemindersDue(asset, '2026-12-15', S);
    const [b] = assetRemindersDue(asset, '2026-12-20', S);
    expect(a!.key).toBe(b!.key);
    const renewed = assetRemindersDue({ ...asset, contractEnd: '2028-01-15' }, '2027-12-15', S);
    expect(renewed.find((r) => r.kind === 'CONTRACT_EXPIRY')!.key).not.toBe(a!.key);
  });

  it('R-SV-3 invites every customer two weeks before the event', () => {
    const activity = { id: 'e1', name: 'Free check day', date: '2026-12-20' };
    expect(invitationsDue(activity, ['c1', 'c2'], '2026-12-05', S)).toEqual([]);
    const due = invitationsDue(activity, ['c1', 'c2'], '2026-12-06', S);
    expect(due.map((r) => [r.customerId, r.notifyDate])).toEqual([
      ['c1', '2026-12-06'],
      ['c2', '2026-12-06'],
    ]);
    expect(invitationsDue(activity, ['c1'], '2026-12-21', S)).toEqual([]);
  });

  it('R-SV-3 month ends and leap years: the lead month is clamped to the shorter month', () => {
    expect(notifyDateOf('CONTRACT_EXPIRY', '2028-03-31', S)).toBe('2028-02-29');
    expect(notifyDateOf('CONTRACT_EXPIRY', '2027-03-31', S)).toBe('2027-02-28');
    expect(notifyDateOf('CONTRACT_EXPIRY', '2028-02-29', S)).toBe('2028-01-29');
    expect(notifyDateOf('WARRANTY_EXPIRY', '2028-05-31', S)).toBe('2028-02-29');
    expect(notifyDateOf('WARRANTY_EXPIRY', '2027-02-28', S)).toBe('2026-11-28');
    expect(notifyDateOf('EVENT_INVITATION', '2028-03-13', S)).toBe('2028-02-28');
    // Contracts ending 03-29, 03-30 and 03-31 of a common year are all reminded on 02-28, once.
    const due = (contractEnd: string, today: string) =>
      assetRemindersDue(
        { ...asset, warrantyEnd: null, nextMaintenanceDue: null, contractEnd },
        today,
        S,
      );
    for (const end of ['2027-03-29', '2027-03-30', '2027-03-31']) {
      expect(due(end, '2027-02-27')).toEqual([]);
      expect(due(end, '2027-02-28').map((r) => r.notifyDate)).toEqual(['2027-02-28']);
      expect(due(end, '2027-03-01')[0]!.key).toBe(due(end, '2027-02-28')[0]!.key);
    }
  });

  it('R-SV-3 an asset registered after its reminder day is reminded late, but never once the date itself has passed', () => {
    // Warranty ending 2027-02-10 is due for a reminder on 2026-11-10; the asset is first seen in January.
    const lateAsset = {
      ...asset,
      contractEnd: null,
      nextMaintenanceDue: null,
      warrantyEnd: '2027-02-10',
    };
    expect(assetRemindersDue(lateAsset, '2027-01-20', S)).toEqual([
      expect.objectContaining({ kind: 'WARRANTY_EXPIRY', notifyDate: '2026-11-10' }),
    ]);
    expect(assetRemindersDue(lateAsset, '2027-02-10', S)).toHaveLength(1);
    expect(assetRemindersDue(lateAsset, '2027-02-11', S)).toEqual([]);
  });

  it('R-SV-3 maintenance is reminded every cycle: a passed due date rolls on by whole cycles', () => {
    expect(currentMaintenanceDue('2026-10-31', 30, '2026-10-31')).toBe('2026-10-31');
    expect(currentMaintenanceDue('2026-10-31', 30, '2026-11-01')).toBe('2026-11-30');
    expect(currentMaintenanceDue('2026-10-31', 30, '2027-01-20')).toBe('2027-01-29');
    expect(currentMaintenanceDue('2028-01-30', 30, '2028-02-01')).toBe('2028-02-29');
    expect(currentMaintenanceDue('2026-10-31', null, '2027-01-20')).toBe('2026-10-31');
    expect(currentMaintenanceDue(null, 30, '2027-01-20')).toBeNull();
    const cycling = {
      ...asset,
      warrantyEnd: null,
      contractEnd: null,
      nextMaintenanceDue: '2026-10-31',
      maintenanceCycleDays: 30,
    };
    const due = (today: string) =>
      assetRemindersDue(cycling, today, S).map((r) => [r.targetDate, r.notifyDate]);
    expect(due('2027-01-21')).toEqual([]);
    expect(due('2027-01-22')).toEqual([['2027-01-29', '2027-01-22']]);
    expect(due('2027-01-30')).toEqual([]);
    expect(due('2027-02-21')).toEqual([['2027-02-28', '2027-02-21']]);
    // Without a cycle, a passed due date is never reminded.
    expect(assetRemindersDue({ ...cycling, maintenanceCycleDays: null }, '2027-01-22', S)).toEqual(
      [],
    );
  });
});
