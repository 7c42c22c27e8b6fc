import { AppError } from '@aftercare/kit';
import { parseIntake, planStationChange, stationAtIntake } from '../../src/domain';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return { code: (e as AppError).code, reason: (e as AppError).reason };
  }
  throw new Error('expected a refusal');
};

describe('SPEC §6 service station of a work order', () => {
  it('at intake: the station given, else the registrar’s on the roster, else the setting, else none', () => {
    expect(stationAtIntake(' sh-01 ', 'HZ-01', 'HQ')).toBe('SH-01');
    expect(stationAtIntake(null, 'HZ-01', 'HQ')).toBe('HZ-01');
    expect(stationAtIntake('  ', null, 'HQ')).toBe('HQ');
    expect(stationAtIntake(undefined, null, null)).toBeNull();
    expect(refusal(() => stationAtIntake('HZ_01', null, null))).toEqual({
      code: 'INVALID_ARGUMENT',
      reason: 'INVALID_STATION_CODE',
    });
    expect(refusal(() => stationAtIntake('X', null, null)).reason).toBe('INVALID_STATION_CODE');
    expect(refusal(() => stationAtIntake('A'.repeat(33), null, null)).reason).toBe('TOO_LONG');
  });

  it('parseIntake validates and upper-cases the station, leaving it null when not given', () => {
    const base = {
      faultDescription: 'tool upkeep',
      category: 'ELECTRICAL',
      channel: 'WALK_IN',
      internalKind: 'TOOL_UPKEEP',
    };
    const now = new Date('2026-11-24T08:00:00Z');
    expect(parseIntake({ ...base, stationCode: 'hz-01' }, { now }).stationCode).toBe('HZ-01');
    expect(parseIntake(base, { now }).stationCode).toBeNull();
    expect(refusal(() => parseIntake({ ...base, stationCode: 'h z' }, { now })).reason).toBe(
      'INVALID_STATION_CODE',
    );
  });

  it('changes station only while the work is not done, to another station, with a reason', () => {
    expect(
      planStationChange('DISPATCHED', 'HZ-01', { stationCode: 'sz-02', reason: ' busy ' }),
    ).toEqual({ from: 'HZ-01', to: 'SZ-02', reason: 'busy' });
    expect(
      planStationChange('REGISTERED', null, { stationCode: 'SZ-02', reason: 'r' }).from,
    ).toBeNull();
    expect(
      planStationChange('IN_WORKSHOP', 'HZ-01', { stationCode: 'SZ-02', reason: 'r' }).to,
    ).toBe('SZ-02');
    for (const status of ['RESOLVED_ON_SITE', 'RETURNED', 'SIGNED', 'CLOSED', 'CANCELLED'] as const)
      expect(
        refusal(() => planStationChange(status, 'HZ-01', { stationCode: 'SZ-02', reason: 'r' })),
      ).toEqual({
        code: 'FAILED_PRECONDITION',
        reason: 'STATION_CHANGE_AFTER_COMPLETION',
      });
    expect(
      refusal(() =>
        planStationChange('DISPATCHED', 'HZ-01', { stationCode: 'hz-01', reason: 'r' }),
      ),
    ).toEqual({
      code: 'FAILED_PRECONDITION',
      reason: 'SAME_STATION',
    });
    expect(
      refusal(() => planStationChange('DISPATCHED', 'HZ-01', { stationCode: 'SZ-02' })).reason,
    ).toBe('REQUIRED');
    expect(refusal(() => planStationChange('DISPATCHED', 'HZ-01', { reason: 'r' })).reason).toBe(
      'REQUIRED',
    );
  });
});
