import { groupByKeys } from '../src/batch';
import { hasRole, requireRole } from '../src/auth';
import { formatNumber, parseNumber } from '../src/numbers';
import { schedulerSettings } from '../src/scheduler-settings';
import { z } from 'zod';

describe('groupByKeys', () => {
  it('answers one list per key asked, in the order asked, empty where a parent has none', () => {
    const rows = [
      { parent: 'b', n: 1 },
      { parent: 'a', n: 2 },
      { parent: 'b', n: 3 },
      { parent: 'z', n: 4 },
    ];
    expect(groupByKeys(['a', 'b', 'c'], rows, (r) => r.parent)).toEqual([
      [{ parent: 'a', n: 2 }],
      [
        { parent: 'b', n: 1 },
        { parent: 'b', n: 3 },
      ],
      [],
    ]);
  });
});

describe('hasRole', () => {
  it('is requireRole without the refusal: admin always, anonymous never', () => {
    expect(hasRole({ roles: ['manager'] }, 'manager', 'auditor')).toBe(true);
    expect(hasRole({ roles: ['admin'] }, 'manager')).toBe(true);
    expect(hasRole({ roles: ['technician'] }, 'manager')).toBe(false);
    expect(hasRole(null, 'manager')).toBe(false);
    expect(() => requireRole({ userId: 't', roles: ['technician'] }, 'manager')).toThrow(
      'This needs one of the roles: manager',
    );
  });
});

describe('human numbers', () => {
  const wo = { prefix: 'WO', digits: 4, dated: true };
  const cus = { prefix: 'CUS', digits: 6, dated: false };

  it('formats with the business date and pads, growing past the padding instead of wrapping', () => {
    expect(formatNumber(wo, 42, '2026-11-24')).toBe('WO-20261124-0042');
    expect(formatNumber(wo, 12345, '2026-11-24')).toBe('WO-20261124-12345');
    expect(formatNumber(cus, 7)).toBe('CUS-000007');
    for (const bad of [0, -1, 1.5, Number.NaN])
      expect(() => formatNumber(cus, bad)).toThrow(RangeError);
    expect(() => formatNumber(wo, 1)).toThrow(RangeError);
  });

  it('reads numbers of known formats back and nothing else', () => {
    expect(parseNumber([wo, cus], ' wo-20261124-0042 ')).toEqual({
      prefix: 'WO',
      day: '20261124',
      sequence: 42,
    });
    expect(parseNumber([wo, cus], 'CUS-000007')).toEqual({ prefix: 'CUS', day: null, sequence: 7 });
    for (const bad of [
      'WO-0042',
      'CUS-20261124-000007',
      'XX-20261124-0042',
      'WO-20261124-042',
      'WO-20261124-0000',
    ])
      expect(parseNumber([wo, cus], bad)).toBeNull();
  });
});

describe('schedulerSettings', () => {
  const sla = schedulerSettings('SLA_SCHEDULER', 'SLA_SCAN_INTERVAL_MS', { everyMs: 60_000 });
  const env = z.object(sla.env);

  it('defaults to on at the given interval and reads back what was set', () => {
    expect(sla.of(env.parse({}))).toEqual({ enabled: true, intervalMs: 60_000 });
    expect(sla.of(env.parse({ SLA_SCHEDULER: 'false', SLA_SCAN_INTERVAL_MS: '5000' }))).toEqual({
      enabled: false,
      intervalMs: 5000,
    });
  });

  it('refuses an interval out of bounds', () => {
    expect(env.safeParse({ SLA_SCAN_INTERVAL_MS: '10' }).success).toBe(false);
    expect(env.safeParse({ SLA_SCAN_INTERVAL_MS: String(4 * 3_600_000) }).success).toBe(false);
  });
});
