#!/usr/bin/env node
// Sample reporting job: replays the Aftercare event streams from the start and prints the six KPIs
// of a period as JSON. Usage and the definition of each figure: README.md.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { report, USED_TYPES } from './src/kpis.mjs';
import { replay } from './src/replay.mjs';
import { loadValidator } from './src/schemas.mjs';

const DEFAULT_SCHEMAS = fileURLToPath(new URL('../../docs/events/schemas/', import.meta.url));
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const USAGE = `node examples/reporting/report.mjs --from YYYY-MM-DD --to YYYY-MM-DD
  [--by region|station|technician] [--province P] [--city C] [--station S] [--technician T]
  [--warehouse W] [--nats URL] [--prefix aftercare] [--schemas DIR] [--allow-missing-schemas]
  [--time-zone Asia/Shanghai] [--closure-days 7] [--now ISO-INSTANT]`;

/** Reads the command line (and NATS_URL, EVENT_SUBJECT_PREFIX) into the job's options. */
export function parseOptions(argv, env = process.env) {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      by: { type: 'string' },
      province: { type: 'string' },
      city: { type: 'string' },
      station: { type: 'string' },
      technician: { type: 'string' },
      warehouse: { type: 'string' },
      nats: { type: 'string', default: env.NATS_URL ?? 'nats://127.0.0.1:4222' },
      prefix: { type: 'string', default: env.EVENT_SUBJECT_PREFIX ?? 'aftercare' },
      schemas: { type: 'string', default: DEFAULT_SCHEMAS },
      'allow-missing-schemas': { type: 'boolean', default: false },
      'time-zone': { type: 'string', default: env.BUSINESS_TIME_ZONE ?? 'Asia/Shanghai' },
      'closure-days': { type: 'string', default: '7' },
      now: { type: 'string' },
    },
  });
  const problems = [];
  if (!DATE.test(values.from ?? '')) problems.push('--from must be a date YYYY-MM-DD');
  if (!DATE.test(values.to ?? '')) problems.push('--to must be a date YYYY-MM-DD');
  if (values.from > values.to) problems.push('--from must not be after --to');
  if (values.by && !['region', 'station', 'technician'].includes(values.by))
    problems.push('--by is region, station or technician');
  const closureDays = Number(values['closure-days']);
  if (!Number.isInteger(closureDays) || closureDays < 1)
    problems.push('--closure-days must be a whole number of days');
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime())) problems.push('--now must be an ISO 8601 instant');
  try {
    new Intl.DateTimeFormat('en', { timeZone: values['time-zone'] });
  } catch {
    problems.push(`--time-zone ${values['time-zone']} is not a known time zone`);
  }
  if (problems.length) throw new Error(`${problems.join('\n')}\n\nusage: ${USAGE}`);
  const scope = Object.fromEntries(
    Object.entries({
      province: values.province,
      city: values.city,
      stationCode: values.station,
      technicianId: values.technician,
      warehouseCode: values.warehouse,
    }).filter(([, v]) => v),
  );
  return {
    servers: values.nats,
    prefix: values.prefix,
    schemas: values.schemas,
    allowMissingSchemas: values['allow-missing-schemas'],
    kpi: {
      from: values.from,
      to: values.to,
      by: values.by,
      scope,
      timeZone: values['time-zone'],
      closureDays,
      now,
    },
  };
}

/** The whole job: replay, then compute. Returns the report with the replay's statistics. */
export async function run(options) {
  const check = loadValidator(options.schemas, { allowMissing: options.allowMissingSchemas });
  const { events, stats } = await replay({
    servers: options.servers,
    prefix: options.prefix,
    usedTypes: USED_TYPES,
    check,
  });
  return { ...report(events, options.kpi), asOf: options.kpi.now.toISOString(), events: stats };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const result = await run(parseOptions(process.argv.slice(2)));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    // Invalid events do not stop the report, but a scheduler should notice them.
    process.exitCode = result.events.invalid > 0 ? 3 : 0;
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  }
}
