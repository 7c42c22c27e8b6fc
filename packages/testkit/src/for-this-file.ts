/// <reference types="jest" />
import type { Env } from '@aftercare/kit';
import {
  type StoppableService,
  startTestService,
  stopTestService,
  type TestService,
} from './service-env';

/**
 * Starts what a test file's tests need in `beforeAll` and stops it in `afterAll`, so files do not
 * repeat those hooks around a `let`. `start` must resolve to a plain object: its own properties are
 * copied into the object returned here, which is empty until then — read it only inside tests and
 * hooks. Nothing is stopped when `start` failed; it cleans up after itself (`testServiceStack`).
 */
export function startedForThisFile<T extends StoppableService>(start: () => Promise<T>): T {
  const handle = {} as T;
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
    Object.assign(handle, started);
  });
  afterAll(() => started?.stop());
  return handle;
}

/**
 * One service for all of a file's tests: `startTestService` before them, `stopTestService` after
 * them (see `startedForThisFile` for when the returned object may be read).
 */
export const testServiceForThisFile = <S extends StoppableService>(
  label: string,
  start: (env: Env) => Promise<S>,
  extra: Env = {},
): TestService<S> =>
  startedForThisFile(async () => {
    const started = await startTestService(label, start, extra);
    return { ...started, stop: () => stopTestService(started) };
  });
