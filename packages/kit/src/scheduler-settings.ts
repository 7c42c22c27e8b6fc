import { z } from 'zod';
import { flag } from './config';

export interface SchedulerSettingsOptions {
  /** Default interval between rounds. */
  everyMs: number;
  minMs?: number;
  maxMs?: number;
}

/**
 * The two settings every scheduler has — whether this replica runs it and how often — under the
 * names a service already documents (`SLA_SCHEDULER`, `SLA_SCAN_INTERVAL_MS`). `env` goes into the
 * service's `serviceEnv(...).extend(...)`; `of(config)` reads them back for `defineService`.
 */
export function schedulerSettings<F extends string, I extends string>(
  flagName: F,
  intervalName: I,
  options: SchedulerSettingsOptions,
) {
  const interval = z.coerce
    .number()
    .int()
    .min(options.minMs ?? 1000)
    .max(options.maxMs ?? 3_600_000)
    .default(options.everyMs);
  const env = { [flagName]: flag(true), [intervalName]: interval } as {
    [K in F]: ReturnType<typeof flag>;
  } & { [K in I]: typeof interval };
  return {
    env,
    of: (config: { [K in F]: boolean } & { [K in I]: number }) => ({
      enabled: config[flagName],
      intervalMs: config[intervalName],
    }),
  };
}
