// The system under test, started exactly as `npm start` starts it: scripts/start.js spawns one
// process per service and the gateway. The bench gives it a database-name prefix, a port offset
// and an event-subject prefix of its own, so it can run beside a developer's `npm start` on the
// same PostgreSQL and NATS, and removes this run's databases and streams afterwards.
const { spawn } = require('node:child_process');
const { readdirSync, readFileSync, readlinkSync } = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');

const root = path.join(__dirname, '..', '..');

/**
 * Starts scripts/start.js and resolves once it reports every process up, with the gateway's URL
 * and the processes' names, services and pids (its `[start] processes: name pid N, …` line; a
 * replica's name is `<service>-<i>` under AFTERCARE_REPLICAS, the launcher's own `proxies`). Its output goes
 * to stderr, prefixed, so a service's warning during the run is seen.
 */
function startTopology({ env, onExit }) {
  const child = spawn(process.execPath, [path.join(root, 'scripts/start.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C reaches only the bench, which then stops start.js once (a
    // second signal would make its processes skip their graceful shutdown).
    detached: true,
  });
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  return new Promise((resolve, reject) => {
    let url;
    let up = false;
    const lines = (stream) => {
      readline.createInterface({ input: stream }).on('line', (line) => {
        process.stderr.write(`  | ${line}\n`);
        url ??= line.match(/GraphQL endpoint: (\S+)/)?.[1];
        const listed = line.match(/^\[start\] processes: (.*)$/)?.[1];
        if (listed) {
          const processes = listed.split(', ').map((entry) => {
            const [, name, pid] = entry.match(/^(\S+) pid (\d+)$/);
            return { name, service: name.replace(/-\d+$/, ''), pid: Number(pid) };
          });
          // The endpoint line follows the process list.
          const wait = setInterval(() => {
            if (!url) return;
            clearInterval(wait);
            up = true;
            resolve({ url, processes, stop: () => stopTopology(child, exited) });
          }, 10);
        }
      });
    };
    lines(child.stdout);
    lines(child.stderr);
    exited.then((code) => {
      if (!up) reject(new Error(`scripts/start.js exited (${code}) before the system was up`));
      else onExit?.(code);
    });
  });
}

/** SIGTERM to start.js, which stops the gateway, then the services; resolves with its exit code. */
async function stopTopology(child, exited) {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  return exited;
}

/**
 * The TCP ports a process listens on, from /proc: the socket inodes among its open files matched
 * against the kernel's table of listening sockets. How the bench finds each process's admin
 * listener (/metrics) whatever ports start.js gave it.
 */
function listeningPorts(pid) {
  const inodes = new Set();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = readlinkSync(`/proc/${pid}/fd/${fd}`).match(/^socket:\[(\d+)\]$/);
      if (m) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  const ports = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const row of text.split('\n').slice(1)) {
      const cols = row.trim().split(/\s+/);
      // cols[1] local address:port (hex), cols[3] state (0A = LISTEN), cols[9] inode.
      if (cols[3] === '0A' && inodes.has(cols[9])) ports.add(parseInt(cols[1].split(':')[1], 16));
    }
  }
  return [...ports];
}

/**
 * A process's HTTP listeners, found among the ports it listens on: `metricsUrl`, the one serving
 * Prometheus text at /metrics (the admin listener); `graphqlUrl`, another answering /readyz (a
 * service's GraphQL listener; its gRPC port does not speak HTTP/1).
 */
async function listeners(pid) {
  const found = { metricsUrl: null, graphqlUrl: null };
  const get = async (url) => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return res.ok ? await res.text() : null;
    } catch {
      return null;
    }
  };
  for (const port of listeningPorts(pid)) {
    const base = `http://127.0.0.1:${port}`;
    if ((await get(`${base}/metrics`))?.includes('# TYPE process_cpu_seconds_total'))
      found.metricsUrl = `${base}/metrics`;
    else if ((await get(`${base}/readyz`)) !== null) found.graphqlUrl = `${base}/graphql`;
  }
  return found;
}

module.exports = { startTopology, listeners };
