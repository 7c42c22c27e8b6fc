// `npm run deadletters -- list|replay [filters]`: lists or replays the events consumers parked in
// the services' dead-letter streams (docs/events.md "Dead letters", ADR 0025). Reads NATS_URL and
// EVENT_SUBJECT_PREFIX like the services. A replay runs in the owning service, which must be up.
const { parseArgs } = require('node:util');
const path = require('node:path');

const kit = require(path.join(__dirname, '..', 'packages', 'kit', 'dist'));

const USAGE = `usage: npm run deadletters -- <list|replay> [options]
  --service <name>     only this consuming service (customer, workorder, inventory, complaint, survey)
  --consumer <name>    only this durable consumer
  --type <type>        only events of this type (e.g. workorder.completed)
  --event-id <id>      only this event
  --from <instant>     parked at or after (ISO 8601, e.g. 2026-12-01T00:00:00Z)
  --to <instant>       parked at or before
  --all                replay: required when no filter is given
  --json               print JSON instead of lines
  --timeout <ms>       replay: how long to wait for each service (default 60000)
exit codes: 0 done; 1 refused or failed to run; 2 replay left events parked or a service did not answer`;

const OPTIONS = {
  service: { type: 'string' },
  consumer: { type: 'string' },
  type: { type: 'string' },
  'event-id': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  all: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  timeout: { type: 'string', default: '60000' },
  help: { type: 'boolean', default: false },
};

async function main(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (e) {
    console.error(`${e.message}\n${USAGE}`);
    return 1;
  }
  const { values, positionals } = parsed;
  const [command] = positionals;
  if (values.help || !['list', 'replay'].includes(command) || positionals.length > 1) {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 1;
  }
  const filter = {
    service: values.service,
    consumer: values.consumer,
    eventType: values.type,
    eventId: values['event-id'],
    parkedFrom: values.from,
    parkedTo: values.to,
  };
  const nats = await kit.connectNats({
    url: process.env.NATS_URL || 'nats://127.0.0.1:4222',
    name: 'deadletters-cli',
    logger: kit.createLogger('deadletters-cli', 'silent'),
  });
  try {
    const admin = kit.deadLetterAdmin(nats, process.env.EVENT_SUBJECT_PREFIX || 'aftercare');
    if (command === 'list') {
      const parked = await admin.list(filter);
      if (values.json) console.log(JSON.stringify(parked, null, 2));
      else {
        for (const p of parked)
          console.log(
            [
              p.parkedAt,
              p.service,
              p.consumer,
              p.eventType ?? '-',
              p.eventId ?? '-',
              p.reason,
              `attempts=${p.attempts}`,
              p.error,
            ].join('\t'),
          );
        console.log(`${parked.length} parked event(s)`);
      }
      return 0;
    }
    const report = await admin.replay(filter, {
      all: values.all,
      timeoutMs: Number(values.timeout),
    });
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else {
      for (const r of report.results)
        console.log(
          [
            r.service,
            r.consumer,
            r.eventType ?? '-',
            r.eventId ?? '-',
            r.outcome,
            r.error ?? '',
          ].join('\t'),
        );
      const counts = {};
      for (const r of report.results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
      console.log(
        `replayed ${report.results.length}: ${
          Object.entries(counts)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ') || 'nothing matched'
        }`,
      );
      for (const s of report.unreachable)
        console.log(`the ${s} service did not answer: nothing of it replayed`);
    }
    const leftParked = report.results.some(
      (r) => r.outcome === 'failed' || r.outcome === 'unavailable',
    );
    return leftParked || report.unreachable.length ? 2 : 0;
  } catch (e) {
    console.error(
      e.reason ? `${e.reason}${e.field ? ` (${e.field})` : ''}: ${e.message}` : e.message,
    );
    return 1;
  } finally {
    await nats.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e.message ?? e);
    process.exit(1);
  },
);
