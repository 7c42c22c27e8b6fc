import { expectNothingLostNothingDoubled, expectReadinessFollowed } from './support/invariants';
import { faultUnderLoad } from './support/load';
import { durableSettings, type FaultSystem, metricTotal, startFaultSystem } from './support/system';

// Issue 17 item 1: a consumer whose own database is unreachable for longer than its delivery
// budget used to terminate the events it received meanwhile, for good. With these settings the
// budget is 3 deliveries 200–400 ms apart, about a second; the survey database stays cut off 20 s.
const DELIVERY = {
  EVENT_MAX_DELIVER: '3',
  EVENT_REDELIVERY_DELAY_MS: '200',
  EVENT_MAX_REDELIVERY_DELAY_MS: '400',
  // A held event must stay with its consumer across several ack waits.
  EVENT_ACK_WAIT_MS: '2000',
};
const OUTAGE_MS = 20_000;

describe("one consumer's database unreachable for longer than its delivery budget (own PostgreSQL and nats-server)", () => {
  let system: FaultSystem;

  beforeAll(async () => {
    system = await startFaultSystem({ env: DELIVERY, cutOff: 'survey' });
  }, 120_000);
  afterAll(() => system?.stop(), 60_000);

  it('R-SV-1 every order completed during the outage gets its survey once the database is back; nothing is terminated', async () => {
    const run = await faultUnderLoad(
      system,
      {
        inject: () => system.databaseOutage!.cut(),
        outageMs: OUTAGE_MS,
        restore: () => system.databaseOutage!.restore(),
      },
      { warmUpMs: 2_000, settleMs: 3_000 },
    );
    const { result } = run;

    // The survey service is not on the intake path: intake never noticed.
    expect(result.failures).toEqual([]);
    expect(result.completed.length).toBeGreaterThan(5);
    await expectNothingLostNothingDoubled(system, result);
    expectReadinessFollowed(system, run, ['survey']);
    // The durable redelivers without a server limit (a held event's buffered neighbours outlive
    // any number of ack waits) and with the short ack wait; the consumer itself parks an event
    // only after 3 failures of its handler, and an outage is none.
    expect(
      await durableSettings(system, 'AFTERCARE_WORKORDER', 'survey-on-workorder-completed'),
    ).toEqual({
      maxDeliver: -1,
      ackWaitMs: 2000,
    });
    expect(await metricTotal(system.services.survey, 'event_consumer_parked_total')).toBe(0);
    expect(
      await metricTotal(system.services.survey, 'event_consumer_outage_retries_total'),
    ).toBeGreaterThan(0);
  }, 180_000);
});
