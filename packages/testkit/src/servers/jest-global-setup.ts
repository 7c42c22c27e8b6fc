// Jest globalSetup of every workspace (jest.preset.js): chooses the run's PostgreSQL and NATS once
// (ADR 0023), starts what is missing and hands the addresses to the test files through
// TEST_PG_URL / TEST_NATS_URL, which workers inherit. Where servers already answer (CI), this is
// two TCP connects. It is loaded outside jest's module map: relative imports only.
import { machineProbes, probesFromEnv, provideServers, wishesFromEnv } from './index';
import { RUN_SERVERS } from './jest-run';

export default async function globalSetup(): Promise<void> {
  const servers = await provideServers(
    wishesFromEnv(process.env, 'tests'),
    probesFromEnv(process.env, machineProbes),
    { kind: 'throwaway' },
    (line) => console.log(`\n[test servers] ${line}`),
  );
  process.env.TEST_PG_URL = servers.pgUrl;
  process.env.TEST_NATS_URL = servers.natsUrl;
  RUN_SERVERS.set(servers);
}
