// Open-loop load at a fixed rate: requests start on schedule whether or not earlier ones have
// finished, so slow responses show up as latency instead of silently lowering the rate. Latency
// counts from when a request was due, not when it was sent, so a request held back (the in-flight
// cap, a late timer) is charged its wait. Past saturation the queue would grow without bound; at
// `maxInFlight` outstanding requests the load waits for one to finish, and the achieved rate
// falls below the offered one.
async function fixedRate({ rate, seconds, request, maxInFlight = 256 }) {
  const total = Math.round(rate * seconds);
  const latencies = [];
  let errors = 0;
  const firstError = [];
  const started = performance.now();
  const inFlight = new Set();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    const pending = request(i).then(
      () => latencies.push(performance.now() - due),
      (err) => {
        errors++;
        if (firstError.length === 0) firstError.push(String(err?.message ?? err));
      },
    );
    inFlight.add(pending);
    pending.finally(() => inFlight.delete(pending));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  const { p50, p90, p99, max } = percentiles(latencies);
  return {
    requests: total,
    ok: latencies.length,
    errors,
    firstError: firstError[0],
    seconds: Number(elapsed.toFixed(2)),
    throughput: Number((latencies.length / elapsed).toFixed(1)),
    p50,
    p90,
    p99,
    max,
  };
}

/** Percentiles of a list of samples (ms), as the load reports them. */
function percentiles(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const pct = (p) =>
    sorted.length
      ? Number(
          sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1),
        )
      : null;
  return { n: sorted.length, p50: pct(50), p90: pct(90), p99: pct(99), max: pct(100) };
}

/**
 * Closed-loop load, as the floors apply it: `clients` connections each posting `body` (JSON) to
 * `url` and waiting for the answer before sending the next, for `seconds`. Returns how many were
 * answered; an answer other than 2xx fails the run.
 */
async function closedLoop({ url, body, clients, seconds }) {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const answer = await res.json();
        if (!res.ok) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(answer)}`);
        done++;
      }
    }),
  );
  return done;
}

module.exports = { fixedRate, percentiles, closedLoop };
