import {
  checkPurpose,
  csvField,
  csvLine,
  exportFilter,
  readLogFilter,
} from '../../src/domain/read-log';

const reason = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as { reason: string; field: string }).reason + ' ' + (e as { field: string }).field;
  }
  return 'accepted';
};

describe('R-CU-4 read log rules', () => {
  it('R-CU-4 a purpose is one trimmed line of 1–200 characters', () => {
    expect(checkPurpose('  complaint call  ')).toBe('complaint call');
    expect(reason(() => checkPurpose(''))).toBe('INVALID_PURPOSE purpose');
    expect(reason(() => checkPurpose('a\tb'))).toBe('INVALID_PURPOSE purpose');
    expect(reason(() => checkPurpose('x'.repeat(201)))).toBe('INVALID_PURPOSE purpose');
    expect(checkPurpose('x'.repeat(200))).toHaveLength(200);
  });

  it('R-CU-4 filters: uuids, a forward period, an export of at most 31 days', () => {
    const from = new Date('2026-11-01T00:00:00Z');
    expect(readLogFilter({ staffId: ' agent-1 ', from })).toEqual({ staffId: 'agent-1', from });
    expect(reason(() => readLogFilter({ customerId: 'x' }))).toBe('INVALID_ID filter.customerId');
    expect(reason(() => readLogFilter({ from, to: from }))).toBe('INVALID_PERIOD filter.to');
    expect(reason(() => readLogFilter({ to: new Date('nope') }))).toBe('INVALID_TIME filter.to');
    expect(reason(() => exportFilter({ from }))).toBe('PERIOD_REQUIRED filter.from');
    const to = new Date('2026-12-02T00:00:01Z');
    expect(reason(() => exportFilter({ from, to }))).toBe('PERIOD_TOO_LONG filter.to');
    expect(reason(() => exportFilter({ from, to: new Date('2026-12-02T00:00:00Z') }))).toBe(
      'accepted',
    );
  });

  it('R-CU-4 CSV fields are quoted when needed and never run as spreadsheet formulas', () => {
    expect(csvField(null)).toBe('');
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, "b"')).toBe('"a, ""b"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1')).toBe(`"'-1"`);
    expect(csvLine(['a', null, 'b'])).toBe('a,,b\r\n');
  });
});
