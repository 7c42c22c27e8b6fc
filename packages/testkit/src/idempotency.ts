import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { graphqlCodeOf, type Identity, isAppError } from '@aftercare/kit';
import { subgraphRequest } from './helpers';

/** What one call of a create gave: the created thing's id, or the refusal's GraphQL code. */
export type CreateOutcome = { id: string } | { code: string; reason?: string; message: string };

/** A create under test, through a real transport, against a real database. */
export interface IdempotentCreate {
  /**
   * Calls the create once, with `key` as its idempotency key (none when undefined). Every
   * `variant` number must give a valid input of its own: two variants differ, so a natural key
   * (a VIN, a warehouse code) made from the variant never collides between checks.
   */
  call(variant: number, key?: string): Promise<CreateOutcome>;
  /** Rows of the table the create writes: "exactly one" and "nothing written" are counted here. */
  rows(): Promise<number>;
  /** Concurrent identical calls in the concurrency check; default 30. */
  concurrency?: number;
}

// Unique across the test file, so no two checks of one create share an input.
let lastVariant = 0;
const freshVariant = () => (lastVariant += 1);
const freshKey = () => `test-${randomUUID()}`;

const show = (o: CreateOutcome) =>
  'id' in o ? `created ${o.id}` : `${o.code} ${o.reason}: ${o.message}`;

function createdId(o: CreateOutcome, what: string): string {
  assert.ok('id' in o, `${what}: expected a create, got ${show(o)}`);
  return o.id;
}

function expectRefusal(o: CreateOutcome, code: string, reason: string, what: string): void {
  assert.ok(!('id' in o), `${what}: expected ${code} ${reason}, got ${show(o)}`);
  assert.deepEqual({ code: o.code, reason: o.reason }, { code, reason }, what);
}

async function concurrentRepeats(c: IdempotentCreate): Promise<void> {
  const variant = freshVariant();
  const key = freshKey();
  const before = await c.rows();
  const outcomes = await Promise.all(
    Array.from({ length: c.concurrency ?? 30 }, () => c.call(variant, key)),
  );
  const refused = outcomes.filter((o) => !('id' in o));
  assert.deepEqual(refused, [], 'every concurrent repeat succeeds');
  const ids = new Set(outcomes.map((o) => createdId(o, 'concurrent repeat')));
  assert.equal(ids.size, 1, `all repeats return the first result (got ${ids.size} ids)`);
  assert.equal(await c.rows(), before + 1, 'exactly one row is written');
}

async function reusedKey(c: IdempotentCreate): Promise<void> {
  const key = freshKey();
  createdId(await c.call(freshVariant(), key), 'first call');
  const before = await c.rows();
  expectRefusal(
    await c.call(freshVariant(), key),
    'CONFLICT',
    'IDEMPOTENCY_KEY_REUSED',
    'same key, different input',
  );
  assert.equal(await c.rows(), before, 'the refused call writes nothing');
}

async function withoutKey(c: IdempotentCreate): Promise<void> {
  const before = await c.rows();
  createdId(await c.call(freshVariant()), 'call without a key');
  assert.equal(await c.rows(), before + 1, 'a call without a key creates');
}

async function overlongKey(c: IdempotentCreate): Promise<void> {
  const before = await c.rows();
  expectRefusal(
    await c.call(freshVariant(), 'k'.repeat(101)),
    'BAD_USER_INPUT',
    'INVALID_IDEMPOTENCY_KEY',
    'a 101-character key',
  );
  assert.equal(await c.rows(), before, 'the refused call writes nothing');
}

/**
 * The checks every create with an idempotency key passes (issue 11), as [title, check] pairs for
 * `it.each`: `describe.each(creates)('%s', (_n, c) => it.each(idempotentCreateChecks)('%s', (_t, check) => check(c)))`.
 */
export const idempotentCreateChecks: [string, (c: IdempotentCreate) => Promise<void>][] = [
  [
    'issue 11: concurrent identical calls with one key all succeed with the first result and write one row',
    concurrentRepeats,
  ],
  [
    'the same key with a different input is refused (CONFLICT IDEMPOTENCY_KEY_REUSED) and writes nothing',
    reusedKey,
  ],
  ['without a key it creates as before', withoutKey],
  [
    'a key of more than 100 characters is refused (BAD_USER_INPUT INVALID_IDEMPOTENCY_KEY) and writes nothing',
    overlongKey,
  ],
];

/**
 * `IdempotentCreate.call` through a subgraph: `variables` builds the operation's variables for a
 * variant and key, `id` picks the created id out of the data.
 */
export function subgraphCreate<T>(options: {
  httpPort: () => number;
  caller: Identity;
  query: string;
  variables: (variant: number, key: string | undefined) => object;
  id: (data: T) => string;
}): IdempotentCreate['call'] {
  return async (variant, key) => {
    const body = await subgraphRequest<T>(
      options.httpPort(),
      options.query,
      options.variables(variant, key),
      options.caller,
    );
    const error = body.errors?.[0];
    if (error)
      return {
        code: error.extensions?.code ?? 'UNKNOWN',
        reason: error.extensions?.reason,
        message: error.message,
      };
    return { id: options.id(body.data as T) };
  };
}

/** A gRPC create's outcome, with the status mapped to its GraphQL code (CONVENTIONS.md "Errors"). */
export async function grpcCreate(call: Promise<string>): Promise<CreateOutcome> {
  try {
    return { id: await call };
  } catch (e) {
    if (!isAppError(e)) throw e;
    return { code: graphqlCodeOf[e.code], reason: e.reason, message: e.message };
  }
}
