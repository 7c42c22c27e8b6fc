// The command line: a bad option is refused with the usage, never half-run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOptions } from '../report.mjs';

test('reads the period, the breakdown and the scope', () => {
  const o = parseOptions(
    ['--from', '2026-03-01', '--to', '2026-03-31', '--by', 'station', '--technician', 't1'],
    { NATS_URL: 'nats://nats:4222', EVENT_SUBJECT_PREFIX: 'prod' },
  );
  assert.equal(o.servers, 'nats://nats:4222');
  assert.equal(o.prefix, 'prod');
  assert.deepEqual(
    { from: o.kpi.from, to: o.kpi.to, by: o.kpi.by, scope: o.kpi.scope, tz: o.kpi.timeZone },
    {
      from: '2026-03-01',
      to: '2026-03-31',
      by: 'station',
      scope: { technicianId: 't1' },
      tz: 'Asia/Shanghai',
    },
  );
});

test('refuses a bad period, breakdown, time zone or deadline, saying which', () => {
  assert.throws(
    () => parseOptions(['--from', '2026-3-1', '--to', '2026-03-31'], {}),
    /--from must be a date/,
  );
  assert.throws(
    () => parseOptions(['--from', '2026-04-01', '--to', '2026-03-31'], {}),
    /must not be after/,
  );
  const base = ['--from', '2026-03-01', '--to', '2026-03-31'];
  assert.throws(
    () => parseOptions([...base, '--by', 'city'], {}),
    /--by is region, station or technician/,
  );
  assert.throws(
    () => parseOptions([...base, '--time-zone', 'Mars/Base'], {}),
    /not a known time zone/,
  );
  assert.throws(() => parseOptions([...base, '--closure-days', '0'], {}), /--closure-days/);
  assert.throws(() => parseOptions([...base, '--what'], {}), /Unknown option/);
});
