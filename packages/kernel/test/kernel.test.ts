import { AppError, type Identity } from '@aftercare/kit/domain';
import {
  dayAfter,
  normalisePhone,
  optionalStationCode,
  parseKpiScope,
  parseKpiScopeArgs,
  parseRegion,
  scopeForReader,
  stationCode,
} from '../src';

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    const { code, reason, field } = e as AppError;
    return { code, reason, field };
  }
  throw new Error('expected a refusal');
};

describe('KPI scope (docs/rules.md §6)', () => {
  it('checks the period and every narrowing', () => {
    expect(
      parseKpiScope({
        from: '2026-11-01',
        to: '2026-11-30',
        stationCode: ' sh-01 ',
        city: ' Wuxi ',
      }),
    ).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
      province: null,
      city: 'Wuxi',
      district: null,
      stationCode: 'SH-01',
      technicianId: null,
    });
    expect(refusal(() => parseKpiScope({ from: '2026-11-30', to: '2026-11-01' }))).toEqual({
      code: 'INVALID_ARGUMENT',
      reason: 'INVALID_PERIOD',
      field: 'from',
    });
    expect(refusal(() => parseKpiScope({ from: '2026-02-30', to: '2026-03-01' })).field).toBe(
      'from',
    );
    expect(refusal(() => parseKpiScope({ from: '2026-01-01' })).field).toBe('to');
    expect(
      refusal(() => parseKpiScope({ from: '2026-01-01', to: '2026-01-02', stationCode: 'x' }))
        .reason,
    ).toBe('INVALID_STATION_CODE');
  });

  it('takes the scope argument or the deprecated separate ones, never both, naming fields by where they came', () => {
    const period = { from: '2026-11-01', to: '2026-11-30' };
    expect(parseKpiScopeArgs({ scope: { ...period, city: 'Wuxi' } })).toMatchObject({
      city: 'Wuxi',
    });
    expect(parseKpiScopeArgs({ ...period, city: 'Wuxi' })).toMatchObject({ city: 'Wuxi' });
    expect(refusal(() => parseKpiScopeArgs({ scope: period, city: 'Wuxi' }))).toEqual({
      code: 'INVALID_ARGUMENT',
      reason: 'SCOPE_TWICE',
      field: 'scope',
    });
    expect(
      refusal(() => parseKpiScopeArgs({ scope: { from: '2026-12-01', to: '2026-11-01' } })),
    ).toMatchObject({
      reason: 'INVALID_PERIOD',
      field: 'scope.from',
    });
    expect(
      refusal(() => parseKpiScopeArgs({ scope: { ...period, district: 'Binhu' } }, ['district'])),
    ).toEqual({
      code: 'INVALID_ARGUMENT',
      reason: 'SCOPE_NOT_SUPPORTED',
      field: 'scope.district',
    });
    expect(parseKpiScopeArgs({ ...period, district: null }, ['district']).district).toBeNull();
  });

  it('gives the day after a date across months and years', () => {
    expect(dayAfter('2026-02-28')).toBe('2026-03-01');
    expect(dayAfter('2026-12-31')).toBe('2027-01-01');
  });

  describe('one reader rule', () => {
    const scope = parseKpiScope({ from: '2026-11-01', to: '2026-11-30' });
    const manager: Identity = { userId: 'm', roles: ['manager'] };
    const tech: Identity = { userId: 't1', roles: ['technician'] };
    const own = { readers: ['manager', 'auditor'], unnamed: 'own' } as const;
    const report = { readers: ['manager', 'auditor'], unnamed: 'refuse' } as const;

    it('lets report readers (and admin) read any scope as asked', () => {
      expect(scopeForReader(manager, { ...scope, technicianId: 't9' }, own).technicianId).toBe(
        't9',
      );
      expect(scopeForReader({ userId: 'a', roles: ['admin'] }, scope, report)).toEqual(scope);
    });

    it('narrows anyone else to their own figures, never a colleague’s', () => {
      expect(scopeForReader(tech, scope, own).technicianId).toBe('t1');
      expect(scopeForReader(tech, { ...scope, technicianId: 't1' }, report).technicianId).toBe(
        't1',
      );
      expect(refusal(() => scopeForReader(tech, { ...scope, technicianId: 't2' }, own)).code).toBe(
        'PERMISSION_DENIED',
      );
      expect(refusal(() => scopeForReader(tech, scope, report)).code).toBe('PERMISSION_DENIED');
    });
  });
});

describe('shared vocabulary', () => {
  it('station codes are trimmed, upper-cased and held to their pattern', () => {
    expect(stationCode(' sh-01 ', 'station')).toBe('SH-01');
    expect(optionalStationCode('  ', 'station')).toBeNull();
    expect(refusal(() => stationCode('a b', 'station'))).toMatchObject({
      reason: 'INVALID_STATION_CODE',
      field: 'station',
    });
  });

  it('phones lose separators and the country code; anything else is refused', () => {
    expect(normalisePhone('+86 139-1234-5678', 'phone')).toBe('13912345678');
    expect(normalisePhone('(0510) 8123 4567', 'phone')).toBe('051081234567');
    expect(refusal(() => normalisePhone('12345', 'phone')).reason).toBe('INVALID_PHONE');
  });

  it('a region needs province and city', () => {
    expect(parseRegion({ province: ' Jiangsu ', city: 'Wuxi' }, 'region')).toEqual({
      province: 'Jiangsu',
      city: 'Wuxi',
      district: null,
    });
    expect(refusal(() => parseRegion({ province: 'Jiangsu' }, 'region')).field).toBe('region.city');
  });
});
