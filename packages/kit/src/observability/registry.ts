import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

/**
 * Latency buckets in seconds for requests, calls and transactions: 5 ms to 10 s, finer where our
 * p99 objectives sit (100 ms – 1 s).
 */
export const LATENCY_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10,
] as const;

const MISNAMED_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * One process's Prometheus registry (prom-client), served at the admin listener's `/metrics`.
 * Instruments are created on first use and shared by name afterwards, so every call site (each
 * consumer, each gRPC client) records into the one family an operator queries. A registry per
 * process rather than prom-client's global one: tests run several services in one process.
 */
export class Metrics {
  readonly registry = new Registry();

  constructor(options: { defaultMetrics?: boolean } = {}) {
    // process_* and nodejs_* (CPU, memory, event-loop lag, GC, handles).
    if (options.defaultMetrics ?? true) this.collectRuntimeMetrics();
  }

  /**
   * prom-client's defaults, less three gauges it also names `*_total` (Prometheus reserves the
   * suffix for counters, and `promtool check metrics` refuses it). The same counts remain as
   * `nodejs_active_handles`, `nodejs_active_requests` and `nodejs_active_resources`.
   */
  private collectRuntimeMetrics(): void {
    collectDefaultMetrics({ register: this.registry });
    for (const name of MISNAMED_DEFAULTS) this.registry.removeSingleMetric(name);
  }

  counter<L extends string = never>(
    config: Omit<CounterConfiguration<L>, 'registers'>,
  ): Counter<L> {
    return this.getOrCreate(
      config.name,
      Counter,
      () => new Counter({ ...config, registers: [this.registry] }),
    );
  }

  /** With `collect`, the gauge is set at scrape time (e.g. a cheap query). */
  gauge<L extends string = never>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    return this.getOrCreate(
      config.name,
      Gauge,
      () => new Gauge({ ...config, registers: [this.registry] }),
    );
  }

  histogram<L extends string = never>(
    config: Omit<HistogramConfiguration<L>, 'registers'>,
  ): Histogram<L> {
    return this.getOrCreate(
      config.name,
      Histogram,
      () => new Histogram({ buckets: [...LATENCY_BUCKETS], ...config, registers: [this.registry] }),
    );
  }

  /** The exposition text served at `/metrics`. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private getOrCreate<T>(
    name: string,
    type: abstract new (...args: never[]) => T,
    create: () => T,
  ): T {
    const existing = this.registry.getSingleMetric(name);
    if (existing === undefined) return create();
    if (!(existing instanceof type))
      throw new Error(`Metric ${name} is already registered as another type`);
    return existing;
  }
}

export function createMetrics(options?: { defaultMetrics?: boolean }): Metrics {
  return new Metrics(options);
}

/** Seconds elapsed since `startMs` (a `performance.now()` reading). */
export const secondsSince = (startMs: number): number => (performance.now() - startMs) / 1000;
