// The floors every scenario is compared with, measured in the same run on the same machine:
// the database's own rate for the SQL of one intake and of one customer read (pgbench where it is
// installed, else the same statements in a loop of node-pg clients), and a plain Node HTTP server
// answering a JSON body (which also bounds the bench's own load generator), what one SQL round
// trip costs in CPU on this machine, client and server, and the transport floor of one intake
// (transport-floor.js: its hops between processes with nothing done at them).
const { execFile, execFileSync, spawn } = require('node:child_process');
const { writeFileSync, mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');
const { Client } = require('pg');
const { closedLoop } = require('./load');
const { cpuMs } = require('./probes');
const { transportFloor } = require('./transport-floor');
const { INTAKE_SETUP, ENVELOPE, INTAKE_STATEMENTS, READ_STATEMENTS, bind } = require('./floor-sql');

const CLIENTS = 8;

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
  const queries = statements.map((text) => bind(text, vars));
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
    const url = `http://127.0.0.1:${port}/`;
    const done = await closedLoop({ url, body, clients: CLIENTS, seconds });
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

/**
 * Every floor. `databases`: { workorder, customer } URLs of this run; `customerId`: a customer with
 * assets to read; `natsUrl`: the JetStream the transport floor publishes to. The intake tables'
 * copies are dropped afterwards.
 */
async function measureLimits({ databases, customerId, natsUrl, seconds }) {
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
    // While the intake tables' copies exist, which it writes too. A floor that fails (the machine
    // short of something) is reported as failed rather than costing the run.
    const transport = await transportFloor({
      databases,
      customerId,
      natsUrl,
      seconds,
      clients: CLIENTS,
    }).catch((err) => ({ error: String(err.message ?? err) }));
    return {
      clients: CLIENTS,
      intakeSql: { ...intake, what: 'order row (JSON contact) + outbox row, one transaction' },
      customerReadSql: { ...read, what: 'customer row + its assets' },
      nodeHttp: { ...http, what: 'plain node:http answering a JSON body' },
      sqlRoundTrip: { ...roundTrip, what: 'SELECT 1 from one node-pg connection, back to back' },
      intakeTransport: {
        ...transport,
        what:
          "an intake's hops with nothing done at them: node:http edge → undici request → " +
          'node:http order → one gRPC read in customer; BEGIN, order row, outbox row, COMMIT; ' +
          'JetStream publish; mark published (asynchronous commit); customer consumer: inbox + ' +
          'contact-log row, one transaction',
      },
    };
  } finally {
    await admin.query('DROP SCHEMA IF EXISTS bench_limit CASCADE').catch(() => {});
    await admin.end();
  }
}

module.exports = { measureLimits, measureSql, pgbenchPath };
