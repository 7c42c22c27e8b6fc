import { BusinessCalendar } from '@aftercare/calendar';
import {
  goodsReceiptNumber,
  parseHumanNumber,
  sequenceDay,
  workOrderNumber,
} from '../../src/domain';

const calendar = new BusinessCalendar();

describe('human numbers', () => {
  it('numbers work orders WO-YYYYMMDD-NNNN by the local business date', () => {
    // 23:30 UTC on the 23rd is already the 24th in Shanghai.
    const at = new Date('2026-11-23T23:30:00Z');
    expect(sequenceDay(at, calendar)).toBe('20261124');
    expect(workOrderNumber(at, 42, calendar)).toBe('WO-20261124-0042');
    expect(workOrderNumber(at, 12345, calendar)).toBe('WO-20261124-12345');
    expect(goodsReceiptNumber(at, 1, calendar)).toBe('GR-20261124-0001');
    expect(workOrderNumber(at, 1, new BusinessCalendar({ timeZone: 'Europe/Berlin' }))).toBe(
      'WO-20261124-0001',
    );
    expect(
      workOrderNumber(
        new Date('2026-11-23T22:30:00Z'),
        1,
        new BusinessCalendar({ timeZone: 'Europe/Berlin' }),
      ),
    ).toBe('WO-20261123-0001');
  });

  it('refuses sequences that are not whole numbers from 1', () => {
    for (const seq of [0, -1, 1.5, Number.NaN]) {
      expect(() => workOrderNumber(new Date(), seq, calendar)).toThrow(RangeError);
    }
  });

  it('reads numbers back', () => {
    expect(parseHumanNumber(' wo-20261124-0042 ')).toEqual({
      prefix: 'WO',
      day: '20261124',
      sequence: 42,
    });
    expect(parseHumanNumber('GR-20261124-12345')).toEqual({
      prefix: 'GR',
      day: '20261124',
      sequence: 12345,
    });
    for (const bad of [
      'WO-2026112-0042',
      'XX-20261124-0042',
      'WO-20261124-042',
      'WO-20261124-0000',
    ]) {
      expect(parseHumanNumber(bad)).toBeNull();
    }
  });
});
