// Jest globalTeardown: stops the servers globalSetup started for this run (if any).
import { RUN_SERVERS } from './jest-run';

export default async function globalTeardown(): Promise<void> {
  await RUN_SERVERS.take()?.stop();
}
