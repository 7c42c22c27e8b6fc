// The bench's chart, drawn with Vega-Lite: p50 and p99 latency against achieved rate for every
// scenario, both axes logarithmic, with the floors of the same run as vertical rules. An SVG, so
// the README can show it; rendered headless (no browser, no canvas).
// `npm run bench:chart -- <report.json> [<chart.svg>]` re-draws the chart of a saved report (say
// after a change to this file), by default beside it with the extension .svg.
const { readFileSync, writeFileSync } = require('node:fs');

/** The SVG text of the chart of a bench report (see run.js). */
async function latencyChart(report) {
  const vega = await import('vega');
  const vegaLite = await import('vega-lite');
  const points = report.scenarios.flatMap((s) =>
    s.steps
      .filter((step) => step.ok > 0)
      .flatMap((step) =>
        ['p50', 'p99'].map((percentile) => ({
          scenario: s.name,
          rate: step.throughput,
          offered: step.rate,
          percentile,
          latency: Math.max(step[percentile], 0.1),
        })),
      ),
  );
  const floors = [
    ['intake SQL', report.limits?.intakeSql?.tps],
    ['customer read SQL', report.limits?.customerReadSql?.tps],
    ['recommendation SQL', report.limits?.recommendSql?.tps],
    ['Node HTTP', report.limits?.nodeHttp?.rps],
    ['intake transport', report.limits?.intakeTransport?.rps],
  ]
    .filter(([, rate]) => rate > 0)
    .map(([floor, rate]) => ({ floor: `${floor} ${rate}/s`, rate }));
  const m = report.machine;
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Aftercare bench: latency against achieved rate (npm start topology)',
      subtitle: [
        `${report.date.slice(0, 16).replace('T', ' ')} UTC · ${m.cpuModel}, ${m.cores} cores · ` +
          `Node ${m.node} · PostgreSQL ${m.postgres} · ${report.settings.seconds} s a step`,
        ...(report.label ? [report.label] : []),
      ],
      anchor: 'start',
    },
    width: 640,
    height: 420,
    background: 'white',
    layer: [
      {
        data: { values: points },
        mark: { type: 'line', point: true },
        encoding: {
          x: {
            field: 'rate',
            type: 'quantitative',
            scale: { type: 'log' },
            title: 'achieved rate (requests or events per second)',
          },
          y: {
            field: 'latency',
            type: 'quantitative',
            scale: { type: 'log' },
            title: 'latency (ms): p99 solid, p50 dashed',
          },
          color: {
            field: 'scenario',
            type: 'nominal',
            title: 'scenario',
            legend: { labelLimit: 320 },
          },
          strokeDash: {
            field: 'percentile',
            type: 'nominal',
            scale: {
              domain: ['p99', 'p50'],
              range: [
                [1, 0],
                [5, 4],
              ],
            },
            // The y axis's title says which is which.
            legend: null,
          },
          // Steps in the order they ran: past saturation the achieved rate may fall back.
          order: { field: 'offered', type: 'quantitative' },
        },
      },
      {
        data: { values: floors },
        mark: { type: 'rule', strokeDash: [2, 4], color: '#444' },
        encoding: { x: { field: 'rate', type: 'quantitative' } },
      },
      // One label layer per floor, each at its own height, so close floors stay readable.
      ...floors.map((floor, i) => ({
        data: { values: [floor] },
        mark: { type: 'text', angle: 270, align: 'right', dx: -4, dy: -6, color: '#444' },
        encoding: {
          x: { field: 'rate', type: 'quantitative' },
          y: { value: 4 + i * 140 },
          text: { field: 'floor' },
        },
      })),
    ],
  };
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  return `${await view.toSVG()}\n`;
}

module.exports = { latencyChart };

if (require.main === module) {
  const [json, svg = json?.replace(/\.json$/, '') + '.svg'] = process.argv.slice(2);
  if (!json) {
    console.error('usage: npm run bench:chart -- <report.json> [<chart.svg>]');
    process.exit(2);
  }
  latencyChart(JSON.parse(readFileSync(json, 'utf8'))).then((chart) => {
    writeFileSync(svg, chart);
    console.log(`wrote ${svg}`);
  });
}
