import { AppError } from '../src/errors';
import {
  addDays,
  addMonths,
  findRefusal,
  InputRefusal,
  instantRefusal,
  isoDateRefusal,
  parseInstant,
  READ_TEXT_MAX_LENGTH,
  TEXT_MAX_LENGTH,
  textRefusal,
} from '../src/input-policy';
import { instant, isoDate } from '../src/validation';

const reasonOf = (refusal: InputRefusal | Date | undefined) =>
  refusal instanceof InputRefusal ? refusal.reason : undefined;

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('input policy: texts', () => {
  it('refuses NUL, which PostgreSQL cannot store in text or JSON', () => {
    expect(reasonOf(textRefusal('Zhang\u0000Wei', TEXT_MAX_LENGTH))).toBe('TEXT_CONTAINS_NUL');
  });

  it('refuses an unpaired surrogate, high or low, which a JSON column refuses', () => {
    expect(reasonOf(textRefusal('broken \ud83d here', 100))).toBe('TEXT_INVALID_UNICODE');
    expect(reasonOf(textRefusal('\ude00 first', 100))).toBe('TEXT_INVALID_UNICODE');
    expect(reasonOf(textRefusal('ends high \ud83d', 100))).toBe('TEXT_INVALID_UNICODE');
  });

  it('accepts Chinese, emoji (paired surrogates) and ordinary punctuation', () => {
    expect(textRefusal('张三 😀 «ok» — 京A·12345', 100)).toBeUndefined();
  });

  it('refuses text over the limit before scanning it: a megabyte is refused at once', () => {
    expect(reasonOf(textRefusal('x'.repeat(TEXT_MAX_LENGTH + 1), TEXT_MAX_LENGTH))).toBe(
      'TOO_LONG',
    );
    expect(textRefusal('x'.repeat(TEXT_MAX_LENGTH), TEXT_MAX_LENGTH)).toBeUndefined();
    const megabyte = `\u0000${'x'.repeat(1_000_000)}`;
    const started = performance.now();
    expect(reasonOf(textRefusal(megabyte, READ_TEXT_MAX_LENGTH))).toBe('TOO_LONG');
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('names the field and reason in the refusal, without echoing a long value', () => {
    const error = textRefusal('a\u0000b', 10)!.at('contacts.0.name');
    expect(error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'contacts.0.name',
      reason: 'TEXT_CONTAINS_NUL',
      message: 'contacts.0.name must not contain NUL characters',
    });
    expect(isoDateRefusal('9'.repeat(10_000))!.problem.length).toBeLessThan(100);
  });
});

describe('input policy: dates', () => {
  it.each(['2026-12-32', '2026-02-30', '2026-02-29', '2026-13-01', '2026-00-10', '26-12-01', ''])(
    'refuses the impossible or malformed date %j as INVALID_DATE',
    (value) => expect(reasonOf(isoDateRefusal(value))).toBe('INVALID_DATE'),
  );

  it('accepts real dates from 1900 to 2199, leap days included', () => {
    for (const value of ['1900-01-01', '2024-02-29', '2000-02-29', '2199-12-31'])
      expect(isoDateRefusal(value)).toBeUndefined();
  });

  it('refuses dates outside 1900–2199 as DATE_OUT_OF_RANGE', () => {
    expect(reasonOf(isoDateRefusal('9999-12-31'))).toBe('DATE_OUT_OF_RANGE');
    expect(reasonOf(isoDateRefusal('1899-12-31'))).toBe('DATE_OUT_OF_RANGE');
    expect(reasonOf(isoDateRefusal('2200-01-01'))).toBe('DATE_OUT_OF_RANGE');
  });

  it('parses an instant only with an offset and a real date and time (no roll-over into March)', () => {
    expect(parseInstant('2026-11-27T16:00:00+08:00')).toEqual(new Date('2026-11-27T08:00:00Z'));
    expect(parseInstant('2026-11-27t08:00:00.123456789z')).toEqual(
      new Date('2026-11-27T08:00:00.123Z'),
    );
    for (const value of [
      '2026-02-30T10:00:00Z',
      '2026-12-32T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T23:60:00Z',
      '2026-01-01T10:00:00+25:00',
      '2026-11-27T16:00:00',
      '2026-11-27 16:00:00Z',
    ])
      expect(reasonOf(parseInstant(value))).toBe('INVALID_DATE');
  });

  it('refuses instants outside 1900–2199, and an Invalid Date such as a huge decoded Timestamp', () => {
    expect(reasonOf(parseInstant('9999-12-31T00:00:00Z'))).toBe('DATE_OUT_OF_RANGE');
    expect(reasonOf(parseInstant('2199-12-31T23:00:00-08:00'))).toBe('DATE_OUT_OF_RANGE');
    expect(reasonOf(instantRefusal(new Date(Number.NaN)))).toBe('INVALID_DATE');
    expect(reasonOf(instantRefusal(new Date(8.64e15)))).toBe('DATE_OUT_OF_RANGE');
  });

  it('keeps the domain validators to the same dates: isoDate and instant refuse 9999-12-31', () => {
    expect(thrown(() => isoDate('9999-12-31', 'lastMaintenance'))).toMatchObject({
      field: 'lastMaintenance',
      reason: 'DATE_OUT_OF_RANGE',
    });
    expect(thrown(() => isoDate('2026-12-32', 'date'))).toMatchObject({ reason: 'INVALID_DATE' });
    expect(thrown(() => instant(new Date(Number.NaN), 'at'))).toMatchObject({
      field: 'at',
      reason: 'INVALID_DATE',
    });
    expect(thrown(() => instant('2026-02-30T10:00:00Z', 'at'))).toMatchObject({
      reason: 'INVALID_DATE',
    });
  });

  it('adds days without ever producing an Invalid Date: out of range is DATE_OUT_OF_RANGE on the field', () => {
    expect(addDays('2026-01-31', 30)).toBe('2026-03-02');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(thrown(() => addDays('2026-01-01', 2147483647, 'maintenanceCycleDays'))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'maintenanceCycleDays',
      reason: 'DATE_OUT_OF_RANGE',
    });
    expect(thrown(() => addDays('2199-12-31', 1))).toMatchObject({ reason: 'DATE_OUT_OF_RANGE' });
  });

  it('adds calendar months, the day clamped to the month, with the same typed refusals', () => {
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(thrown(() => addMonths('2199-12-31', 1, 'startDate'))).toMatchObject({
      field: 'startDate',
      reason: 'DATE_OUT_OF_RANGE',
    });
    expect(thrown(() => addMonths('31/12/2026', 1))).toMatchObject({ reason: 'INVALID_DATE' });
  });
});

describe('input policy: plain data (gRPC messages, event data)', () => {
  it('finds the first refused text or instant with its path, through lists and nested messages', () => {
    const message = {
      name: 'ok',
      contacts: [{ name: 'fine' }, { name: 'bad\u0000' }],
      at: new Date('2026-01-01T00:00:00Z'),
    };
    expect(findRefusal(message, 100)).toMatchObject({
      field: 'contacts.1.name',
      refusal: { reason: 'TEXT_CONTAINS_NUL' },
    });
    expect(findRefusal({ period: { start: new Date(Number.NaN) } }, 100)).toMatchObject({
      field: 'period.start',
      refusal: { reason: 'INVALID_DATE' },
    });
  });

  it('leaves bytes, numbers, booleans and good data alone', () => {
    expect(
      findRefusal(
        { photo: Buffer.from([0, 0xd8, 0]), count: 3, ok: true, none: null, tags: ['a', 'b'] },
        100,
      ),
    ).toBeUndefined();
  });
});
