// What one step of load cost, read before and after it: CPU time per process from /proc, SQL
// statements per service from each process's own counter (`db_client_statements_total` on its
// /metrics; BEGIN and COMMIT included), and the CPU of the PostgreSQL backends serving this run's
// databases. Not pg_stat_statements: it must be preloaded into a server the machine shares, and
// pg_stat_database flushes its counts up to seconds late, longer than a short step.
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU time of a process in ms (fields 14 and 15 of /proc/<pid>/stat); null when gone. */
function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * Every `db_client_statements_total` series in a Prometheus exposition, by the unit of work that
 * sent it (`kind/name`, e.g. `graphql/registerWorkOrder`, `outbox_relay/outbox_relay`).
 */
function statementsIn(text) {
  const byWork = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('db_client_statements_total')) continue;
    const kind = line.match(/db_transaction_kind="([^"]*)"/)?.[1];
    const name = line.match(/db_transaction_name="([^"]*)"/)?.[1];
    const work = `${kind}/${name}`;
    byWork[work] = (byWork[work] ?? 0) + Number(line.split(' ').at(-1));
  }
  return byWork;
}

const sum = (byWork) => Object.values(byWork).reduce((a, b) => a + b, 0);

/**
 * A reading of every counter a step is measured by. `processes`: [{ name, service, pid,
 * metricsUrl }] (several of one service under AFTERCARE_REPLICAS); `databases`: { service:
 * database name }; `sql(text, params)` queries the server. CPU per process, statements per service
 * (its replicas' counters added up).
 */
async function snapshot({ processes, databases, sql }) {
  const cpu = {};
  const serviceOf = {};
  const statements = {};
  for (const p of processes) {
    cpu[p.name] = cpuMs(p.pid);
    serviceOf[p.name] = p.service;
    if (p.metricsUrl && databases[p.service]) {
      const res = await fetch(p.metricsUrl);
      const byService = (statements[p.service] ??= {});
      for (const [work, n] of Object.entries(statementsIn(await res.text())))
        byService[work] = (byService[work] ?? 0) + n;
    }
  }
  // Backends come and go with the pools: those started during the step count whole, those gone
  // by its end are missed (see delta).
  const backends = await sql(`SELECT pid FROM pg_stat_activity WHERE datname = ANY($1)`, [
    Object.values(databases),
  ]);
  const backendCpu = Object.fromEntries(backends.map((b) => [b.pid, cpuMs(b.pid)]));
  return { cpu, serviceOf, statements, backendCpu };
}

const per = (value, requests, digits = 2) =>
  value === null || !requests ? null : Number((value / requests).toFixed(digits));

/**
 * Cost per request between two snapshots: CPU ms per service (its replicas added up) and, when
 * a service runs in several processes, per replica; SQL statements per service's database.
 */
function delta(before, after, requests) {
  const byService = {};
  const byReplica = {};
  let total = 0;
  for (const [name, end] of Object.entries(after.cpu)) {
    const start = before.cpu[name];
    if (end === null || start === null || start === undefined) continue;
    const service = after.serviceOf[name];
    byService[service] = (byService[service] ?? 0) + end - start;
    if (name !== service) byReplica[name] = per(end - start, requests);
    total += end - start;
  }
  const cpuMsPerRequest = {};
  for (const [service, ms] of Object.entries(byService))
    cpuMsPerRequest[service] = per(ms, requests);
  let pg = 0;
  for (const [pid, end] of Object.entries(after.backendCpu)) {
    if (end === null) continue;
    // A backend missing from the first reading was started during the step (a pool grew under
    // its load): all its CPU, connection start-up included, is the step's.
    const start = pid in before.backendCpu ? before.backendCpu[pid] : 0;
    if (start !== null) pg += end - start;
  }
  cpuMsPerRequest.postgres = per(pg, requests);
  cpuMsPerRequest.total = per(total + pg, requests);
  const statementsPerRequest = {};
  // Where a service's statements come from: the units of work that sent at least one in the step.
  const statementsByWork = {};
  for (const [service, end] of Object.entries(after.statements)) {
    const start = before.statements[service];
    statementsPerRequest[service] = per(sum(end) - sum(start), requests, 1);
    for (const [work, count] of Object.entries(end)) {
      const n = count - (start[work] ?? 0);
      if (n > 0) (statementsByWork[service] ??= {})[work] = per(n, requests);
    }
  }
  return {
    cpuMsPerRequest,
    ...(Object.keys(byReplica).length ? { cpuMsPerReplica: byReplica } : {}),
    statementsPerRequest,
    statementsByWork,
  };
}

module.exports = { snapshot, delta, cpuMs };
