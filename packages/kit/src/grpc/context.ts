import { AsyncLocalStorage } from 'node:async_hooks';
import type { Identity } from '../auth';

/**
 * What outgoing gRPC calls inherit from the request being served: the caller to act for and
 * the deadline the caller gave us (so downstream calls never outlive it).
 */
interface CallScope {
  identity: Identity | null;
  deadline?: Date;
}

const storage = new AsyncLocalStorage<CallScope>();

/**
 * Runs `fn` on behalf of `identity`: gRPC clients created with the kit forward it on every call
 * made inside, however deep. Transports (GraphQL context, event consumers) call this once per request.
 */
export function runWithIdentity<T>(identity: Identity | null, fn: () => T): T {
  return storage.run({ ...storage.getStore(), identity }, fn);
}

/** The identity of the request being served, or null outside one (or for an anonymous caller). */
export function currentIdentity(): Identity | null {
  return storage.getStore()?.identity ?? null;
}

/** Used by the gRPC server for each incoming call. */
export function runInCallScope<T>(scope: CallScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentDeadline(): Date | undefined {
  return storage.getStore()?.deadline;
}
