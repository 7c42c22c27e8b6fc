// The floors every scenario is compared with, measured in the same run on the same machine:
// the database's own rate for the SQL of one intake and of one customer read (pgbench where it is
// installed, else the same statements in a loop of node-pg clients), and a plain Node HTTP server
// answering a JSON body (which also bounds the bench's own load generator), and what one SQL
// round trip costs in CPU on this machine, client and server.
const { execFile, execFileSync, spawn } = require('node:child_process');
const { writeFileSync, mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');
const { Client } = require('pg');
const { cpuMs } = require('./probes');

const CLIENTS = 8;

/**
 * One intake's writes as the work-order service makes them: the order row (contact as JSON) and
 * its outbox row (the event envelope as JSON) in one transaction, into copies of the two tables
 * (same columns, defaults, constraints and indexes) in a schema of their own, so the service's
 * outbox relay never sees them. Not the day's number row: that lock is the service's design,
 * which the issue asks to weigh, not a limit of the database.
 */
const INTAKE_SETUP = `
  CREATE SCHEMA bench_limit;
  CREATE TABLE bench_limit.work_order (LIKE public.work_order INCLUDING ALL);
  CREATE TABLE bench_limit.outbox (LIKE public.outbox INCLUDING ALL);`;
const ENVELOPE = JSON.stringify({
  specversion: '1.0',
  id: '00000000-0000-7000-8000-000000000000',
  source: 'workorder',
  type: 'workorder.registered',
  time: '2026-01-01T00:00:00.000Z',
  subject: '00000000-0000-7000-8000-000000000001',
  datacontenttype: 'application/json',
  dataschema: 'https://aftercare.example/events/workorder.registered/1.json',
  dataversion: '1',
  data: {
    workOrderId: '00000000-0000-7000-8000-000000000001',
    number: 'WO-20260101-0001',
    customerId: '00000000-0000-7000-8000-000000000002',
    assetId: '00000000-0000-7000-8000-000000000003',
    serviceType: 'WARRANTY',
    category: 'ELECTRICAL',
    channel: 'PHONE',
    region: { province: 'Zhejiang', city: 'Hangzhou', district: null },
    stationCode: 'HZ-1',
    calledAt: '2026-01-01T00:00:00.000Z',
    contact: { name: 'I', phone: '13700000001' },
    faultDescription: 'battery warning',
    registeredBy: 'bench',
  },
});
const INTAKE_STATEMENTS = [
  'BEGIN',
  `INSERT INTO bench_limit.work_order (id, number, customer_id, asset_id, contact, address_line,
     province, city, area_type, distance_km, fault_description, category, channel, service_type,
     status, sla_policy_id, called_at, registered_by, answer_due_at, arrival_due_at, on_site_due_at,
     station_code, created_at, updated_at)
   VALUES (gen_random_uuid(), gen_random_uuid()::text, gen_random_uuid(), gen_random_uuid(),
     '{"name":"I","phone":"13700000001"}', 'No. 1 Road', 'Zhejiang', 'Hangzhou', 'URBAN', 8,
     'battery warning', 'ELECTRICAL', 'PHONE', 'WARRANTY', 'REGISTERED', 'default', now(), 'bench',
     now(), now(), now(), 'HZ-1', now(), now())`,
  `INSERT INTO bench_limit.outbox (id, subject, type, aggregate_id, payload, headers, created_at)
   VALUES (gen_random_uuid(), 'bench.workorder.registered', 'workorder.registered',
     gen_random_uuid()::text, :payload::jsonb, '{}', now())`,
  'COMMIT',
];

/** A customer and its assets, the two reads behind `customer.read+assets`. */
const READ_STATEMENTS = [
  `SELECT * FROM customer WHERE id = :id`,
  `SELECT * FROM asset WHERE customer_id = :id ORDER BY id LIMIT 21`,
];

function pgbenchPath() {
  try {
    const bin = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    execFileSync(path.join(bin, 'pgbench'), ['--version']);
    return path.join(bin, 'pgbench');
  } catch {
    try {
      execFileSync('pgbench', ['--version']);
      return 'pgbench';
    } catch {
      return null;
    }
  }
}

/** Transactions per second of `statements` (`:name` bound to `vars.name`), CLIENTS clients for `seconds`. */
async function pgbench(bin, databaseUrl, statements, { seconds, vars }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'aftercare-bench-'));
  try {
    const script = path.join(dir, 'script.sql');
    writeFileSync(script, statements.map((s) => `${s.replace(/\s+/g, ' ')};`).join('\n') + '\n');
    const url = new URL(databaseUrl);
    const args = ['-n', '-M', 'extended', '-c', String(CLIENTS), '-j', '2', '-T', String(seconds)];
    args.push('-f', script, '-h', url.hostname, '-p', url.port || '5432');
    args.push('-U', decodeURIComponent(url.username || 'postgres'));
    for (const [name, value] of Object.entries(vars)) args.push('-D', `${name}=${value}`);
    args.push(url.pathname.slice(1));
    const env = { ...process.env, PGPASSWORD: decodeURIComponent(url.password) };
    const { stdout } = await promisify(execFile)(bin, args, { env });
    const tps = Number(stdout.match(/tps = ([\d.]+)/)[1]);
    const latency = Number(stdout.match(/latency average = ([\d.]+) ms/)?.[1]);
    return { tps: Number(tps.toFixed(0)), latencyAvgMs: latency, tool: 'pgbench' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same as pgbench with node-pg: CLIENTS connections each running `statements` in a loop. */
async function driverLoop(databaseUrl, statements, { seconds, vars }) {
  const queries = statements.map((text) => {
    const values = [];
    const bound = text.replace(/(?<!:):(\w+)/g, (_, name) => {
      values.push(vars[name]);
      return `$${values.length}`;
    });
    return { text: bound, values };
  });
  const until = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        while (performance.now() < until) {
          for (const query of queries) await client.query(query);
          done++;
        }
      } finally {
        await client.end();
      }
    }),
  );
  return { tps: Number((done / seconds).toFixed(0)), tool: 'node-pg' };
}

/** The plain Node HTTP floor: CLIENTS closed-loop connections posting a GraphQL-sized JSON body. */
async function httpFloor({ seconds }) {
  const server = spawn(
    process.execPath,
    [
      '-e',
      `require('node:http').createServer((req, res) => {
         const chunks = [];
         req.on('data', (c) => chunks.push(c)).on('end', () => {
           JSON.parse(Buffer.concat(chunks).toString());
           res.setHeader('content-type', 'application/json');
           res.end(JSON.stringify({ data: { ok: true } }));
         });
       }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const port = await new Promise((resolve) =>
      server.stdout.once('data', (d) => resolve(Number(d))),
    );
    const body = JSON.stringify({
      query: 'query { customer(id: "x") { id name } }',
      variables: {},
    });
    const until = performance.now() + seconds * 1000;
    let done = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < until) {
          const res = await fetch(`http://127.0.0.1:${port}/`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
          await res.json();
          done++;
        }
      }),
    );
    return { rps: Number((done / seconds).toFixed(0)), clients: CLIENTS };
  } finally {
    server.kill();
  }
}

/**
 * What one SQL round trip costs in CPU here: one node-pg connection sending `SELECT 1` back to
 * back, the bench's own CPU (the client) and its backend's (the server) per query. Every statement
 * a service sends costs at least this, whatever its ORM does around it; on a virtual machine,
 * where waking another process is dear, it is most of what a statement costs.
 */
async function roundTripCost(databaseUrl, { seconds }) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
    const serverStart = cpuMs(rows[0].pid);
    const clientStart = process.cpuUsage();
    const until = performance.now() + seconds * 1000;
    let done = 0;
    while (performance.now() < until) {
      await client.query('SELECT 1');
      done++;
    }
    const clientCpu = process.cpuUsage(clientStart);
    const serverMs = cpuMs(rows[0].pid) - serverStart;
    const micros = (value) => Number(value.toFixed(0));
    return {
      perSecond: micros(done / seconds),
      clientCpuUs: micros((clientCpu.user + clientCpu.system) / done),
      clientSystemCpuUs: micros(clientCpu.system / done),
      serverCpuUs: micros((serverMs * 1000) / done),
    };
  } finally {
    await client.end();
  }
}

/**
 * Every floor. `databases`: { workorder, customer } URLs of this run; `customerId`: a customer with
 * assets to read. The intake tables' copies are dropped afterwards.
 */
/**
 * Transactions per second of `statements` (`:name` bound to `vars.name`) against `databaseUrl`,
 * CLIENTS clients for `seconds`: pgbench where it is installed, else a loop of node-pg clients.
 * Also for a scenario's own floor, measured once its setup has written the data it reads.
 */
function measureSql(databaseUrl, statements, opts) {
  const bin = pgbenchPath();
  return bin
    ? pgbench(bin, databaseUrl, statements, opts)
    : driverLoop(databaseUrl, statements, opts);
}

async function measureLimits({ databases, customerId, seconds }) {
  const run = measureSql;
  const admin = new Client({ connectionString: databases.workorder });
  await admin.connect();
  try {
    await admin.query(INTAKE_SETUP);
    const intake = await run(databases.workorder, INTAKE_STATEMENTS, {
      seconds,
      vars: { payload: ENVELOPE },
    });
    const read = await run(databases.customer, READ_STATEMENTS, {
      seconds,
      vars: { id: customerId },
    });
    const http = await httpFloor({ seconds });
    const roundTrip = await roundTripCost(databases.customer, { seconds });
    return {
      clients: CLIENTS,
      intakeSql: { ...intake, what: 'order row (JSON contact) + outbox row, one transaction' },
      customerReadSql: { ...read, what: 'customer row + its assets' },
      nodeHttp: { ...http, what: 'plain node:http answering a JSON body' },
      sqlRoundTrip: { ...roundTrip, what: 'SELECT 1 from one node-pg connection, back to back' },
    };
  } finally {
    await admin.query('DROP SCHEMA IF EXISTS bench_limit CASCADE').catch(() => {});
    await admin.end();
  }
}

module.exports = { measureLimits, measureSql, pgbenchPath };
