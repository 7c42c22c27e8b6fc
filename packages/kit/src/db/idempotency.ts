import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { Identity } from '../auth';
import { AppError, conflict, invalidArgument } from '../errors';
import type { EntityManager, Orm } from './orm';

/**
 * How long a key is honoured (ADR 0013): long enough for any client's retries, short enough that
 * the table stays small. Expired keys are deleted lazily by later keyed creates.
 */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

/** 1–100 visible ASCII characters: a UUID, a ULID or `survey-call:<id>` fit; spaces and control characters do not. */
const KEY_PATTERN = /^[!-~]{1,100}$/;

declare const validKey: unique symbol;
/** A key that passed `idempotencyKey()`; `createOnce` takes no other. */
export type IdempotencyKey = string & { readonly [validKey]: true };

/** The optional key of a create; missing or empty (proto3's default) means "no key". */
export function idempotencyKey(
  raw: string | null | undefined,
  field = 'idempotencyKey',
): IdempotencyKey | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw !== 'string' || !KEY_PATTERN.test(raw)) {
    throw invalidArgument(
      `${field} must be 1–100 visible ASCII characters (letters, digits, punctuation; no spaces)`,
      field,
      'INVALID_IDEMPOTENCY_KEY',
    );
  }
  return raw as IdempotencyKey;
}

/**
 * SHA-256 of the request in canonical JSON (keys sorted), without its `idempotencyKey`: a repeat
 * must ask for exactly what the first call asked for.
 */
export function requestHash(request: object): string {
  const { idempotencyKey: _key, ...rest } = request as { idempotencyKey?: unknown };
  return createHash('sha256')
    .update(stringify(rest) ?? '')
    .digest('hex');
}

interface CreateOnceBase<T> {
  /** `<service>.<use case>`, e.g. `customer.createCustomer`: the same for every transport. */
  operation: string;
  caller: Identity;
  key: IdempotencyKey | null;
  /** What the caller asked for, as given to the use case (its `idempotencyKey` is ignored). */
  request: object;
  /** The first call's result, for a repeat, read in the repeat's transaction. */
  load(em: EntityManager, id: string): Promise<T>;
}

/** The id stored with the key (text, so codes do as well as UUIDs); by default the result's `id`. */
export type CreateOnce<T> = CreateOnceBase<T> &
  (T extends { id: string } ? { idOf?(result: T): string } : { idOf(result: T): string });

interface StoredKey {
  request_hash: string;
  result_id: string | null;
  expired: boolean;
}

/**
 * Runs `create` in a transaction of its own — once per (operation, caller, key). The key row is
 * inserted first, in the same transaction as the entity, so they commit (or roll back) together.
 * A concurrent repeat's insert waits on the unique index until the first commits and then reads
 * the first result; if the first failed, the repeat creates in its place. A repeat with a
 * different request is refused (CONFLICT `IDEMPOTENCY_KEY_REUSED`) and writes nothing.
 * Without a key this is just `em.transactional(create)`.
 */
export async function createOnce<T>(
  orm: Orm,
  once: CreateOnce<T>,
  create: (em: EntityManager) => Promise<T>,
): Promise<T> {
  const { key } = once;
  if (!key) return orm.em.fork().transactional(create);
  const scope = [once.operation, once.caller.userId, key];
  const hash = requestHash(once.request);
  return orm.em.fork().transactional(async (em) => {
    // A row can expire (and be deleted) between the insert and the read: try again, but not forever.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const claimed = await em.execute(
        `INSERT INTO idempotency_key (operation, user_id, key, request_hash, expires_at)
         VALUES (?, ?, ?, ?, now() + make_interval(hours => ?))
         ON CONFLICT DO NOTHING RETURNING 1 AS claimed`,
        [...scope, hash, IDEMPOTENCY_KEY_TTL_HOURS],
      );
      if (claimed.length) {
        // Purged before `create`, not after: what `create` locks (a day's number row) is then
        // held only for the key's result and the COMMIT.
        await purgeExpired(em);
        const result = await create(em);
        await em.execute(
          'UPDATE idempotency_key SET result_id = ? WHERE operation = ? AND user_id = ? AND key = ?',
          [idOf(once, result), ...scope],
        );
        return result;
      }
      const [stored] = (await em.execute(
        `SELECT request_hash, result_id, expires_at <= now() AS expired
         FROM idempotency_key WHERE operation = ? AND user_id = ? AND key = ?`,
        scope,
      )) as StoredKey[];
      if (!stored) continue;
      if (stored.expired) {
        await em.execute(
          `DELETE FROM idempotency_key
           WHERE operation = ? AND user_id = ? AND key = ? AND expires_at <= now()`,
          scope,
        );
        continue;
      }
      if (stored.request_hash !== hash) {
        throw conflict(
          `idempotency key "${key}" was used for a different request; use a new key for a new request`,
          'IDEMPOTENCY_KEY_REUSED',
        );
      }
      // Committed key rows always carry their result: it is set in the transaction that inserted them.
      return once.load(em, stored.result_id!);
    }
    throw new AppError('ABORTED', `idempotency key "${key}" is busy; try again`, {
      reason: 'IDEMPOTENCY_KEY_BUSY',
    });
  });
}

const idOf = <T>(once: CreateOnce<T>, result: T): string =>
  once.idOf ? once.idOf(result) : (result as { id: string }).id;

/** Lazy cleanup: a few expired keys per keyed create; SKIP LOCKED so creates never queue on it. */
async function purgeExpired(em: EntityManager): Promise<void> {
  await em.execute(
    `DELETE FROM idempotency_key k USING (
       SELECT operation, user_id, key FROM idempotency_key
       WHERE expires_at <= now() LIMIT 100 FOR UPDATE SKIP LOCKED) old
     WHERE (k.operation, k.user_id, k.key) = (old.operation, old.user_id, old.key)`,
  );
}
