// Open-loop load at a fixed rate: requests start on schedule whether or not earlier ones have
// finished, so slow responses show up as latency instead of silently lowering the rate.
async function fixedRate({ rate, seconds, request }) {
  const total = Math.round(rate * seconds);
  const latencies = [];
  let errors = 0;
  const firstError = [];
  const started = performance.now();
  const inFlight = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    inFlight.push(
      request(i).then(
        () => latencies.push(performance.now() - t0),
        (err) => {
          errors++;
          if (firstError.length === 0) firstError.push(String(err?.message ?? err));
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) =>
    latencies.length
      ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]
      : NaN;
  return {
    requests: total,
    ok: latencies.length,
    errors,
    firstError: firstError[0],
    seconds: Number(elapsed.toFixed(2)),
    throughput: Number((latencies.length / elapsed).toFixed(1)),
    p50: Number(pct(50).toFixed(1)),
    p90: Number(pct(90).toFixed(1)),
    p99: Number(pct(99).toFixed(1)),
    max: Number((latencies.at(-1) ?? NaN).toFixed(1)),
  };
}

module.exports = { fixedRate };
