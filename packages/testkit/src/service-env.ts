import type { Env } from '@aftercare/kit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createTestDatabase, TEST_NATS_URL, uniqueSubjectPrefix } from './database';
import { TEST_AUTH_ENV } from './identity';

export interface TestServiceEnv {
  env: Env;
  subjectPrefix: string;
  /** Drops the test database and the test's streams; call after the service has stopped. */
  cleanup(): Promise<void>;
}

/**
 * Environment for starting a real service in a test: its own fresh database, its own event
 * subject prefix (so parallel files never share streams), free ports, quiet logs, test keys.
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
      ADMIN_PORT: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      SHUTDOWN_TIMEOUT_MS: '5000',
      ...TEST_AUTH_ENV,
      ...extra,
    },
    subjectPrefix,
    cleanup: async () => {
      await db.drop();
      await deleteStreams(subjectPrefix);
    },
  };
}

/** Removes the JetStream streams a test created under its own subject prefix. */
export async function deleteStreams(subjectPrefix: string, natsUrl = TEST_NATS_URL): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const mine = `${subjectPrefix.toUpperCase()}_`;
    for await (const name of jsm.streams.names()) {
      if (name.startsWith(mine)) await jsm.streams.delete(name);
    }
  } finally {
    await nc.close();
  }
}

/** A service started by a test file, with the environment it runs in. */
export interface TestService<S> {
  env: TestServiceEnv;
  service: S;
}

/**
 * A fresh `testServiceEnv` and the service started in it (`start` reads the env, e.g.
 * `(env) => startInventoryService(loadInventoryConfig(env))`). When the service fails to start,
 * its database and streams are dropped before the error is thrown, so a failing file leaves
 * nothing behind.
 */
export async function startTestService<S>(
  label: string,
  start: (env: Env) => Promise<S>,
  extra: Env = {},
): Promise<TestService<S>> {
  const env = await testServiceEnv(label, extra);
  try {
    return { env, service: await start(env.env) };
  } catch (err) {
    await env.cleanup();
    throw err;
  }
}

/** Stops what `startTestService` started (either may be missing when `beforeAll` failed). */
export async function stopTestService(
  started: Partial<TestService<{ stop(): Promise<unknown> }>> | undefined,
): Promise<void> {
  await started?.service?.stop();
  await started?.env?.cleanup();
}
