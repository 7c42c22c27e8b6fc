// The bench's chart: p50 and p99 latency against achieved rate for every scenario, both axes
// logarithmic, with the floors of the same run drawn as vertical lines. Plain SVG text, so the
// README can show it and no service or library is needed to draw it.

const W = 960;
const H = 600;
const M = { left: 70, right: 250, top: 80, bottom: 60 };
const COLOURS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

const escape = (text) =>
  String(text).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]);

/** Powers of ten (with 2 and 5 between) covering [lo, hi]. */
function ticks(lo, hi) {
  const out = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo && v <= hi) out.push(v);
    }
  return out;
}

function latencyChart(report) {
  const points = report.scenarios.flatMap((s) => s.steps.filter((p) => p.ok > 0));
  const floors = [
    ['intake SQL', report.limits?.intakeSql?.tps],
    ['customer read SQL', report.limits?.customerReadSql?.tps],
    ['Node HTTP', report.limits?.nodeHttp?.rps],
  ].filter(([, v]) => v > 0);
  const xs = [...points.map((p) => p.throughput), ...floors.map(([, v]) => v)].filter((v) => v > 0);
  const ys = points.flatMap((p) => [p.p50, p.p99]).filter((v) => v > 0);
  const [xLo, xHi] = [10 ** Math.floor(Math.log10(Math.min(...xs, 10))), 10 ** Math.ceil(Math.log10(Math.max(...xs, 100)))];
  const [yLo, yHi] = [10 ** Math.floor(Math.log10(Math.min(...ys, 1))), 10 ** Math.ceil(Math.log10(Math.max(...ys, 100)))];
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (v) => M.left + ((Math.log10(v) - Math.log10(xLo)) / (Math.log10(xHi) - Math.log10(xLo))) * pw;
  const y = (v) => M.top + ph - ((Math.log10(v) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo))) * ph;
  const m = report.machine;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${M.left}" y="24" font-size="16" font-weight="bold">Aftercare bench: latency against achieved rate (npm start topology)</text>`,
    `<text x="${M.left}" y="44">${escape(`${report.date.slice(0, 16).replace('T', ' ')} UTC · ${m.cpuModel}, ${m.cores} cores · Node ${m.node} · PostgreSQL ${m.postgres} · ${report.settings.seconds} s a step`)}</text>`,
    `<text x="${M.left}" y="62" fill="#555">${escape(report.label ?? '')}</text>`,
  ];
  for (const v of ticks(xLo, xHi))
    parts.push(
      `<line x1="${x(v)}" y1="${M.top}" x2="${x(v)}" y2="${M.top + ph}" stroke="#eee"/>`,
      `<text x="${x(v)}" y="${M.top + ph + 16}" text-anchor="middle">${v}</text>`,
    );
  for (const v of ticks(yLo, yHi))
    parts.push(
      `<line x1="${M.left}" y1="${y(v)}" x2="${M.left + pw}" y2="${y(v)}" stroke="#eee"/>`,
      `<text x="${M.left - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`,
    );
  parts.push(
    `<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`,
    `<text x="${M.left + pw / 2}" y="${H - 20}" text-anchor="middle">achieved rate (requests or events per second)</text>`,
    `<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">latency (ms): p99 solid, p50 dashed</text>`,
  );
  for (const [name, v] of floors)
    parts.push(
      `<line x1="${x(v)}" y1="${M.top}" x2="${x(v)}" y2="${M.top + ph}" stroke="#444" stroke-dasharray="2 4"/>`,
      `<text x="${x(v) - 4}" y="${M.top + 12}" text-anchor="end" fill="#444">${escape(`${name} ${v}/s`)}</text>`,
    );
  report.scenarios.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const steps = s.steps.filter((p) => p.ok > 0 && p.p50 > 0);
    const line = (key, dash) =>
      steps.length
        ? `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash ? ' stroke-dasharray="5 4"' : ''} points="${steps
            .map((p) => `${x(p.throughput).toFixed(1)},${y(p[key]).toFixed(1)}`)
            .join(' ')}"/>`
        : '';
    parts.push(line('p99', false), line('p50', true));
    for (const p of steps)
      parts.push(`<circle cx="${x(p.throughput).toFixed(1)}" cy="${y(p.p99).toFixed(1)}" r="3" fill="${colour}"/>`);
    const ly = M.top + 10 + i * 20;
    parts.push(
      `<line x1="${W - M.right + 16}" y1="${ly - 4}" x2="${W - M.right + 40}" y2="${ly - 4}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${W - M.right + 46}" y="${ly}">${escape(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

module.exports = { latencyChart };
