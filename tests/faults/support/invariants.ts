import { dbQuery, eventually } from '@aftercare/testkit';
import { streamEvents } from '@aftercare/testkit';
import type { LoadResult } from './load';
import { metricTotal, SERVICES, type FaultSystem, type ServiceName } from './system';

/** What the system holds once it has caught up (or at the deadline). */
interface Snapshot {
  workOrders: string[];
  /** Work orders with a `workorder.completed` event in the outbox. */
  completedOrders: string[];
  /** `workorder:<id>` references of the contact log, one per entry. */
  contactReferences: string[];
  /** The work order of each survey, one per survey. */
  surveyedOrders: string[];
  outbox: Record<ServiceName, { ids: string[]; unpublished: number }>;
  /** Event ids of the messages in each service's stream, one per message. */
  streams: Record<ServiceName, string[]>;
}

const column = async (url: string, sql: string): Promise<string[]> =>
  (await dbQuery<{ v: string }>(url, sql)).map((r) => r.v);

async function snapshot(system: FaultSystem): Promise<Snapshot> {
  const { customer, workorder, survey } = system.services;
  const outbox = {} as Snapshot['outbox'];
  const streams = {} as Snapshot['streams'];
  for (const name of SERVICES) {
    const url = system.services[name].databaseUrl;
    const rows = await dbQuery<{ id: string; published: boolean }>(
      url,
      'SELECT id, published_at IS NOT NULL AS published FROM outbox',
    );
    outbox[name] = {
      ids: rows.map((r) => r.id),
      unpublished: rows.filter((r) => !r.published).length,
    };
    streams[name] = (await streamEvents('aftercare', name, system.nats.url)).map((e) => e.id);
  }
  return {
    workOrders: await column(workorder.databaseUrl, 'SELECT id::text AS v FROM work_order'),
    completedOrders: await column(
      workorder.databaseUrl,
      `SELECT aggregate_id AS v FROM outbox WHERE type = 'workorder.completed'`,
    ),
    contactReferences: await column(
      customer.databaseUrl,
      `SELECT reference AS v FROM contact_log WHERE reference LIKE 'workorder:%'`,
    ),
    surveyedOrders: await column(
      survey.databaseUrl,
      `SELECT work_order_id::text AS v FROM survey WHERE kind = 'WORK_ORDER'`,
    ),
    outbox,
    streams,
  };
}

const caughtUp = (s: Snapshot) =>
  SERVICES.every(
    (n) => s.outbox[n].unpublished === 0 && s.streams[n].length === s.outbox[n].ids.length,
  ) &&
  s.contactReferences.length >= s.workOrders.length &&
  s.surveyedOrders.length >= s.completedOrders.length;

const sorted = (values: Iterable<string>) => [...values].sort();
const duplicates = (values: string[]) =>
  sorted(new Set(values.filter((v, i) => values.indexOf(v) !== i)));
const missingFrom = (wanted: string[], present: string[]) => {
  const have = new Set(present);
  return wanted.filter((v) => !have.has(v));
};

/**
 * Issue 17's "nothing lost, nothing doubled", once the system has caught up (within
 * `catchUpMs`): every acknowledged write persisted; every event in the outbox published, and in
 * its stream exactly once; every consumer effect exactly once — one contact-log entry per
 * registered order (R-CU-5), one survey per completed order (R-SV-1).
 */
export async function expectNothingLostNothingDoubled(
  system: FaultSystem,
  load: LoadResult,
  catchUpMs = 60_000,
): Promise<Snapshot> {
  const s = await eventually(() => snapshot(system), caughtUp, catchUpMs);

  expect({ lostRegistrations: missingFrom(load.registered, s.workOrders) }).toEqual({
    lostRegistrations: [],
  });
  expect({ lostCompletions: missingFrom(load.completed, s.completedOrders) }).toEqual({
    lostCompletions: [],
  });
  expect({ doubledCompletions: duplicates(s.completedOrders) }).toEqual({
    doubledCompletions: [],
  });
  for (const name of SERVICES) {
    const { ids, unpublished } = s.outbox[name];
    expect({ service: name, unpublished }).toEqual({ service: name, unpublished: 0 });
    expect({ service: name, doubledInStream: duplicates(s.streams[name]) }).toEqual({
      service: name,
      doubledInStream: [],
    });
    // Same ids, each once: every outbox row is one message, and no message lacks its row.
    expect({ service: name, stream: sorted(s.streams[name]) }).toEqual({
      service: name,
      stream: sorted(ids),
    });
  }
  const references = s.contactReferences.map((r) => r.slice('workorder:'.length));
  expect({ doubledContactEntries: duplicates(references) }).toEqual({ doubledContactEntries: [] });
  expect(sorted(references)).toEqual(sorted(s.workOrders));
  expect({ doubledSurveys: duplicates(s.surveyedOrders) }).toEqual({ doubledSurveys: [] });
  expect(sorted(s.surveyedOrders)).toEqual(sorted(s.completedOrders));
  // No consumer gave up on an event: none parked as poison (counted since each process last started).
  for (const name of SERVICES)
    expect({
      service: name,
      parked: await metricTotal(system.services[name], 'event_consumer_parked_total'),
    }).toEqual({ service: name, parked: 0 });
  return s;
}

/** Every refused request was refused as unavailable, never as an internal error (issue 17 item 4). */
export function expectOnlyUnavailable(load: LoadResult): void {
  const other = load.failures.filter((f) => f.code !== 'SERVICE_UNAVAILABLE');
  expect(other).toEqual([]);
}

/**
 * `/readyz` of each named service (default: all) went down after `faultAt` and was up again for
 * good within `withinMs` of the dependency's return (issue 17 item 3).
 */
export function expectReadinessFollowed(
  system: FaultSystem,
  times: { faultAt: number; restoredAt: number },
  services: readonly ServiceName[] = SERVICES,
  withinMs = 15_000,
): void {
  for (const name of services) {
    const { downAt, upAt, lastUnready } = system.readiness.outage(name, times.faultAt);
    expect({ service: name, wentDown: downAt !== null && downAt < times.restoredAt }).toEqual({
      service: name,
      wentDown: true,
    });
    expect({ service: name, cameBack: upAt !== null }).toEqual({ service: name, cameBack: true });
    // On failure the diff shows how late it was and what /readyz said last while unready.
    expect({
      service: name,
      upAfterMs: upAt! - times.restoredAt,
      upInTime: upAt! - times.restoredAt < withinMs,
      lastUnready,
    }).toMatchObject({ service: name, upInTime: true });
  }
}
