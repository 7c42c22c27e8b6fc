import { AsyncLocalStorage } from 'node:async_hooks';

/** What a unit of work was started by: labels database transactions with their origin. */
export interface WorkScope {
  /** `graphql`, `grpc`, `event_consumer`, `scheduler` or `outbox_relay`. */
  kind: string;
  /** The operation, method, consumer or scheduler: a bounded set per service. */
  name: string;
}

const storage = new AsyncLocalStorage<WorkScope>();

/** Runs `fn` as one unit of work of `scope`; transactions it opens are counted under that origin. */
export function runAsWork<T>(scope: WorkScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export const currentWork = (): WorkScope | undefined => storage.getStore();
