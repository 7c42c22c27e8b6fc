import { type TestServiceEnv, testServiceEnv } from '@aftercare/testkit';
import { loadCustomerConfig, startCustomerService } from '../../src';
import type { CustomerDeps } from '../../src/app/deps';

export interface CustomerForThisFile {
  env: TestServiceEnv;
  service: Awaited<ReturnType<typeof startCustomerService>>;
  /** The use cases' dependencies, for calling a scan directly (its scheduler is off). */
  deps: CustomerDeps;
}

/**
 * The customer service on this test file's own database and stream, its schedulers off so that the
 * tests run the scans themselves; filled in by `beforeAll`, stopped by `afterAll`.
 */
export function customerForThisFile(
  name: string,
  settings: Record<string, string> = {},
): CustomerForThisFile {
  const s = {} as CustomerForThisFile;
  beforeAll(async () => {
    s.env = await testServiceEnv(name, { ARCHIVE_SCHEDULER: 'false', ...settings });
    let running: CustomerDeps | undefined;
    s.service = await startCustomerService(loadCustomerConfig(s.env.env), {
      overrides: { relayPollIntervalMs: 100 },
      onReady: (deps) => (running = deps),
    });
    const { config } = s.service;
    s.deps = {
      orm: s.service.orm,
      events: s.service.outbox,
      timeZone: config.calendar.timeZone,
      calendar: config.calendar,
      warrantyMonths: config.WARRANTY_MONTHS,
      fileCompletenessDays: config.FILE_COMPLETENESS_DAYS,
      readLog: running!.readLog,
      loanMaxDays: config.ARCHIVE_LOAN_MAX_DAYS,
      retentionYears: config.ARCHIVE_RETENTION_YEARS,
      now: () => new Date(),
    };
  });
  afterAll(async () => {
    await s.service?.stop();
    await s.env?.cleanup();
  });
  return s;
}
