/**
 * A small Prometheus registry (text exposition format 0.0.4): counters and gauges with labels,
 * and gauges read at scrape time. Enough for request counts, outbox backlog, consumer lag —
 * without pulling in prom-client.
 */
export type Labels = Record<string, string | number>;

export interface Counter {
  inc(labels?: Labels, value?: number): void;
}

export interface Gauge {
  set(labels: Labels, value: number): void;
}

/** Read at each scrape, e.g. `() => relay.pendingCount()`; one value, or one per label set. */
export type Collect = () => number | Promise<number> | Array<{ labels: Labels; value: number }>;

export interface Metrics {
  /** Returns the counter of that name, creating it on first use. */
  counter(name: string, help: string, labelNames?: readonly string[]): Counter;
  /** Returns the gauge of that name, creating it on first use; with `collect` it is read at scrape time. */
  gauge(name: string, help: string, labelNames?: readonly string[], collect?: Collect): Gauge;
  /** The exposition text served at `/metrics`. */
  render(): Promise<string>;
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

interface Family {
  type: 'counter' | 'gauge';
  help: string;
  labelNames: readonly string[];
  values: Map<string, { labels: Labels; value: number }>;
  collect?: Collect;
}

export function createMetrics(): Metrics {
  const families = new Map<string, Family>();

  function family(
    type: Family['type'],
    name: string,
    help: string,
    labelNames: readonly string[],
    collect?: Collect,
  ) {
    const existing = families.get(name);
    if (existing) {
      if (existing.type !== type || existing.labelNames.join() !== labelNames.join()) {
        throw new Error(
          `Metric ${name} is already registered as a ${existing.type} with labels [${existing.labelNames.join(', ')}]`,
        );
      }
      return existing;
    }
    if (!NAME_RE.test(name)) throw new Error(`Invalid metric name "${name}"`);
    const badLabel = labelNames.find((l) => !LABEL_RE.test(l));
    if (badLabel !== undefined)
      throw new Error(`Invalid label name "${badLabel}" for metric ${name}`);
    const created: Family = { type, help, labelNames, values: new Map(), collect };
    families.set(name, created);
    return created;
  }

  function record(name: string, f: Family, labels: Labels, update: (old: number) => number) {
    const unknown = Object.keys(labels).filter((l) => !f.labelNames.includes(l));
    if (unknown.length > 0) throw new Error(`Metric ${name} has no label(s) ${unknown.join(', ')}`);
    const key = f.labelNames.map((l) => String(labels[l] ?? '')).join('\u0000');
    const entry = f.values.get(key) ?? { labels, value: 0 };
    entry.value = update(entry.value);
    f.values.set(key, entry);
  }

  return {
    counter(name, help, labelNames = []) {
      const f = family('counter', name, help, labelNames);
      return {
        inc(labels = {}, value = 1) {
          if (value < 0) throw new Error(`Counter ${name} cannot decrease`);
          record(name, f, labels, (old) => old + value);
        },
      };
    },
    gauge(name, help, labelNames = [], collect) {
      const f = family('gauge', name, help, labelNames, collect);
      return { set: (labels, value) => record(name, f, labels, () => value) };
    },
    async render() {
      const lines: string[] = [];
      for (const [name, f] of families) {
        const samples = f.collect ? await collected(f.collect) : [...f.values.values()];
        lines.push(`# HELP ${name} ${escapeHelp(f.help)}`, `# TYPE ${name} ${f.type}`);
        for (const s of samples)
          lines.push(`${name}${formatLabels(s.labels)} ${formatValue(s.value)}`);
      }
      return `${lines.join('\n')}\n`;
    },
  };
}

async function collected(collect: Collect): Promise<Array<{ labels: Labels; value: number }>> {
  const result = await collect();
  return typeof result === 'number' ? [{ labels: {}, value: result }] : result;
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(String(v))}"`).join(',')}}`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

const escapeHelp = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabelValue = (s: string) => escapeHelp(s).replace(/"/g, '\\"');
