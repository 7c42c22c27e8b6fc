// Summarises the V8 CPU profiles that `--cpu-prof` wrote (one .cpuprofile per process) into the
// top costs of each process while load ran: self time grouped by package (node_modules/<package>),
// by our own workspace package, by Node's internals, or as GC. Only samples inside the measured
// steps count (start-up and setup would drown the requests), matched by the system's monotonic
// clock, which V8's sample times and `process.hrtime` share. The profiles stay in the directory
// for a flame graph (Chrome DevTools, speedscope).
const { readdirSync, readFileSync } = require('node:fs');
const path = require('node:path');

/** What a profile node's code belongs to. */
function owner({ url, functionName }) {
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)' || functionName === '(program)') return functionName;
    return `native ${functionName || '(anonymous)'}`;
  }
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  // node:internal/streams/writable → node streams; node:net → node net
  if (url.startsWith('node:'))
    return `node ${url.replace(/^node:(internal\/)?/, '').split('/')[0]}`;
  const workspace = url.match(/\/(packages|services)\/([^/]+)\//) ?? url.match(/\/(gateway)\//);
  if (workspace) return `@aftercare/${workspace[2] ?? workspace[1]}`;
  return url;
}

/** Now on the monotonic clock of V8's profiles, in µs. */
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Per process name, the costs with at least 0.5 % of its busy samples inside `windows`
 * ([startµs, endµs] from monotonicMicros), highest first.
 */
function summariseProfiles(dir, processes, windows) {
  const names = new Map(processes.map((p) => [p.pid, p.name]));
  const summary = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const pid = Number(file.split('.')[3]); // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile
    const name = names.get(pid) ?? `pid ${pid}`;
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    const byNode = new Map(profile.nodes.map((n) => [n.id, owner(n.callFrame)]));
    const counts = new Map();
    let at = profile.startTime;
    profile.samples.forEach((id, i) => {
      at += profile.timeDeltas[i];
      if (!windows.some(([from, to]) => at >= from && at <= to)) return;
      const what = byNode.get(id);
      counts.set(what, (counts.get(what) ?? 0) + 1);
    });
    const busy = [...counts].filter(([what]) => what !== '(idle)');
    const total = busy.reduce((n, [, c]) => n + c, 0);
    if (!total) continue;
    summary[name] = busy
      .map(([what, c]) => ({ what, percent: Number(((100 * c) / total).toFixed(1)) }))
      .filter((t) => t.percent >= 0.5)
      .sort((a, b) => b.percent - a.percent);
  }
  return summary;
}

module.exports = { summariseProfiles, monotonicMicros };
