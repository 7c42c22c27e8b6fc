import { localDate } from '../../src/domain/values';

it('gives the local calendar date of each time zone asked, one after another', () => {
  const at = new Date('2026-03-01T20:30:00Z');
  expect(localDate(at, 'Asia/Shanghai')).toBe('2026-03-02');
  expect(localDate(at, 'America/New_York')).toBe('2026-03-01');
  expect(localDate(at, 'Asia/Shanghai')).toBe('2026-03-02');
  expect(localDate(new Date('2026-03-02T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-03-03');
});
