import type { Env } from '@aftercare/kit';
import { createTestDatabase, TEST_NATS_URL, uniqueSubjectPrefix } from './database';

export interface TestServiceEnv {
  env: Env;
  subjectPrefix: string;
  /** Drops the test database; call after the service has stopped. */
  cleanup(): Promise<void>;
}

/**
 * Environment for starting a real service in a test: its own fresh database, its own event
 * subject prefix (so parallel files never share streams), free ports, quiet logs.
 */
export async function testServiceEnv(label: string, extra: Env = {}): Promise<TestServiceEnv> {
  const db = await createTestDatabase(label);
  const subjectPrefix = uniqueSubjectPrefix(label);
  return {
    env: {
      DATABASE_URL: db.url,
      NATS_URL: TEST_NATS_URL,
      EVENT_SUBJECT_PREFIX: subjectPrefix,
      HTTP_PORT: '0',
      GRPC_PORT: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      SHUTDOWN_TIMEOUT_MS: '5000',
      ...extra,
    },
    subjectPrefix,
    cleanup: () => db.drop(),
  };
}
