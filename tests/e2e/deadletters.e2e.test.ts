import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { connectNats, createLogger, park, uuidv7, type NatsConnection } from '@aftercare/kit';
import { TEST_NATS_URL } from '@aftercare/testkit';
import { jetstream } from '@nats-io/jetstream';
import { eventually, streamEvents } from './support/events';
import { startSystem, type System } from './harness';
import { customerWithAsset } from './support/intake';

// Issue 17 / ADR 0025: events the services' consumers cannot apply are parked, listed and
// replayed by operators, through the graph (admin only) and the `npm run deadletters` CLI.
let sys: System;
let nats: NatsConnection;

beforeAll(async () => {
  sys = await startSystem('e2e-dead');
  nats = await connectNats({
    url: TEST_NATS_URL,
    name: 'e2e-dead-letters',
    logger: createLogger('e2e-dead-letters', 'silent'),
  });
});

afterAll(async () => {
  await nats?.close();
  await sys?.stop();
});

const LIST = `query($filter: DeadLetterFilter, $first: Int) {
  deadLetters(filter: $filter, first: $first) {
    totalCount
    nodes { service consumer reason attempts eventId eventType error originalStream originalSubject parkedAt body }
  }
}`;
const REPLAY = `mutation($input: ReplayDeadLettersInput!) {
  replayDeadLetters(input: $input) {
    applied alreadyApplied failed unavailable unreachableServices
    results { service consumer eventId outcome attempts error }
  }
}`;

type Parked = {
  service: string;
  consumer: string;
  reason: string;
  attempts: number;
  eventId: string | null;
  body: string;
};
const list = async (filter: object, roles: string[] = ['admin']) =>
  sys.gql<{ deadLetters: { totalCount: number; nodes: Parked[] } }>(
    LIST,
    { filter, first: 100 },
    roles as never,
  );
const replay = async (input: object, roles: string[] = ['admin']) =>
  sys.gql<{
    replayDeadLetters: {
      applied: number;
      alreadyApplied: number;
      failed: number;
      results: { service: string; eventId: string; outcome: string; attempts: number }[];
    };
  }>(REPLAY, { input }, roles as never);

/** Runs the CLI as an operator would; asynchronously, as the services answering it run in this process. */
const cli = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(__dirname, '..', '..', 'scripts', 'deadletters.js'), ...args],
      {
        env: { ...process.env, NATS_URL: TEST_NATS_URL, EVENT_SUBJECT_PREFIX: sys.subjectPrefix },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        resolve({ status: error ? (error.code as number | null) : 0, stdout, stderr }),
    );
  });

const inboxHas = async (eventId: string) => {
  const rows = await sys.customer.orm.em
    .fork()
    .execute<{ n: string }[]>(
      `select count(*) as n from inbox where consumer = 'customer-on-workorder-registered' and event_id = ?`,
      [eventId],
    );
  return Number(rows[0]?.n);
};

/** A real work order's `workorder.registered`, once the customer service has applied it. */
async function appliedRegistration() {
  const { customerId, assetId } = await customerWithAsset(sys, 'Ms Dead', 'LDEADLETTER000001');
  const r = await sys.gql<{ registerWorkOrder: { workOrder: { id: string } } }>(
    `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`,
    {
      input: {
        customerId,
        assetId,
        contact: { name: 'Ms Dead', phone: '13800001111' },
        address: {
          region: { province: 'Zhejiang', city: 'Hangzhou', district: 'Xihu' },
          line: '2 Lake Road',
        },
        areaType: 'URBAN',
        distanceKm: 5,
        faultDescription: 'will not charge',
        category: 'ELECTRICAL',
        channel: 'PHONE',
      },
    },
  );
  expect(r.errors).toBeUndefined();
  const events = await eventually(
    () => streamEvents(sys.subjectPrefix, 'workorder'),
    (es) => es.some((e) => e.type === 'workorder.registered'),
  );
  const registered = events.find((e) => e.type === 'workorder.registered')!;
  expect(
    await eventually(
      () => inboxHas(registered.id),
      (n) => n === 1,
    ),
  ).toBe(1);
  return registered;
}

/**
 * Parks a body in the customer service's dead-letter stream, as its consumer would have; the
 * original position tells parkings apart (a repeated one is de-duplicated).
 */
const parkForCustomer = (body: { id: string; type: string }, sequence: number) =>
  park(nats, sys.subjectPrefix, {
    service: 'customer',
    consumer: 'customer-on-workorder-registered',
    reason: 'poison',
    error: 'failed before the fix (test)',
    attempts: 10,
    original: {
      stream: `${sys.subjectPrefix.toUpperCase()}_WORKORDER`,
      sequence,
      subject: `${sys.subjectPrefix}.${body.type}`,
    },
    event: { id: body.id, type: body.type },
    body: new TextEncoder().encode(JSON.stringify(body)),
  });

it('R-EV-15 parked events are listed and replayed by an admin through the graph and the CLI; other roles are refused; each takes effect once', async () => {
  const registered = await appliedRegistration();
  // One that was applied before (its term was lost) and one that never was.
  await parkForCustomer(registered, 1);
  const unapplied = { ...registered, id: uuidv7() };
  await parkForCustomer(unapplied, 2);
  // An event whose data breaks its contract: every consumer of it parks it (R-EV-9).
  const invalid = {
    ...registered,
    id: uuidv7(),
    type: 'workorder.completed',
    dataschema: 'workorder.completed.v1.json',
    data: { workOrderId: 'not-a-uuid' },
  };
  await jetstream(nats).publish(
    `${sys.subjectPrefix}.workorder.completed`,
    JSON.stringify(invalid),
    { msgID: invalid.id },
  );
  const parkedInvalid = await eventually(
    () => list({ eventId: invalid.id }),
    (r) => r.data?.deadLetters.totalCount === 4,
    20_000,
  );
  expect(parkedInvalid.data!.deadLetters.nodes.map((n) => [n.service, n.reason]).sort()).toEqual([
    ['complaint', 'INVALID'],
    ['customer', 'INVALID'],
    ['inventory', 'INVALID'],
    ['survey', 'INVALID'],
  ]);
  expect(parkedInvalid.data!.deadLetters.nodes[0]!.body).toBe(JSON.stringify(invalid));

  // Admin only, refused before anything is looked up or replayed.
  for (const roles of [['manager'], ['auditor', 'dispatcher']]) {
    expect((await list({}, roles)).errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const refused = await replay({ all: true }, roles);
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  }
  expect((await list({ service: 'customer' })).data!.deadLetters.totalCount).toBe(3);

  // Bad filters: a clear error naming the field, and nothing replayed.
  const bad = async (input: object) =>
    (await replay(input)).errors?.map((e) => [
      e.extensions?.code,
      e.extensions?.reason,
      e.extensions?.field,
    ]);
  expect(await bad({})).toEqual([['BAD_USER_INPUT', 'INVALID_DEAD_LETTER_FILTER', 'all']]);
  expect(await bad({ filter: { service: 'nosuch' } })).toEqual([
    ['BAD_USER_INPUT', 'INVALID_DEAD_LETTER_FILTER', 'service'],
  ]);
  expect(
    await bad({ filter: { parkedFrom: '2026-12-02T00:00:00Z', parkedTo: '2026-12-01T00:00:00Z' } }),
  ).toEqual([['BAD_USER_INPUT', 'INVALID_DEAD_LETTER_FILTER', 'parkedTo']]);
  expect((await list({ service: 'customer' })).data!.deadLetters.totalCount).toBe(3);

  // Through the graph: the unapplied event takes effect once, the applied one is a no-op.
  const once = await replay({ filter: { eventId: unapplied.id } });
  expect(once.data!.replayDeadLetters).toMatchObject({ applied: 1, failed: 0 });
  const again = await replay({ filter: { eventId: registered.id } });
  expect(again.data!.replayDeadLetters).toMatchObject({
    applied: 0,
    alreadyApplied: 1,
    results: [{ service: 'customer', eventId: registered.id, outcome: 'ALREADY_APPLIED' }],
  });
  expect([await inboxHas(unapplied.id), await inboxHas(registered.id)]).toEqual([1, 1]);
  expect(
    (await list({ consumer: 'customer-on-workorder-registered' })).data!.deadLetters.totalCount,
  ).toBe(0);

  // Through the CLI: listing, a refused replay, and a replay that fails again (still invalid).
  const listed = await cli('list', '--event-id', invalid.id, '--json');
  expect(listed.status).toBe(0);
  expect((JSON.parse(listed.stdout) as Parked[]).map((p) => p.service).sort()).toEqual([
    'complaint',
    'customer',
    'inventory',
    'survey',
  ]);
  const refused = await cli('replay');
  expect([refused.status, refused.stderr]).toEqual([
    1,
    expect.stringContaining('INVALID_DEAD_LETTER_FILTER (all)'),
  ]);
  const replayed = await cli('replay', '--event-id', invalid.id);
  expect(replayed.status).toBe(2);
  expect(replayed.stdout).toContain('replayed 4: failed 4');
  const stillParked = (await list({ eventId: invalid.id })).data!.deadLetters.nodes;
  expect(stillParked.map((n) => [n.service, n.attempts]).sort()).toEqual([
    ['complaint', 2],
    ['customer', 2],
    ['inventory', 2],
    ['survey', 2],
  ]);
}, 120_000);
