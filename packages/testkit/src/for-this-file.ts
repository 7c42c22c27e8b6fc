/// <reference types="jest" />
import type { StoppableService } from './service-env';

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
