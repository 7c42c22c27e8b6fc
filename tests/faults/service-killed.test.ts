import {
  expectNothingLostNothingDoubled,
  expectOnlyUnavailable,
  expectReadinessFollowed,
} from './support/invariants';
import { faultUnderLoad } from './support/load';
import { type FaultSystem, metricTotal, sleep, startFaultSystem } from './support/system';

// Issue 17, fault injection: the customer service (consuming every registration, and called by
// every intake) and the survey service (consuming every completion) freeze with events in hand,
// die by SIGKILL, and are started again. A short ack wait brings the events they held back soon.
describe('services killed mid-consume and restarted under load (own PostgreSQL and nats-server)', () => {
  let system: FaultSystem;

  beforeAll(async () => {
    system = await startFaultSystem({ env: { EVENT_ACK_WAIT_MS: '3000' } });
  }, 120_000);
  afterAll(() => system?.stop(), 60_000);

  it('R-CU-5 R-SV-1 events in hand are redelivered and applied exactly once; intake is refused as unavailable meanwhile', async () => {
    const { customer, survey } = system.services;
    const run = await faultUnderLoad(
      system,
      {
        // Frozen first, so each holds events it pulled and never answered; then killed. The survey
        // service first and alone: completions go on meanwhile (intakes wait while the customer
        // service is frozen), so it surely has some in hand.
        inject: async () => {
          survey.freeze();
          await sleep(1_500);
          customer.freeze();
          await sleep(500);
          await Promise.all([customer.kill('SIGKILL'), survey.kill('SIGKILL')]);
        },
        outageMs: 3_000,
        restore: () => Promise.all([customer.start(), survey.start()]).then(() => {}),
      },
      { warmUpMs: 4_000 },
    );
    const { result } = run;

    expectOnlyUnavailable(result);
    await expectNothingLostNothingDoubled(system, result);
    expectReadinessFollowed(system, run, ['customer', 'survey']);
    // The restarted survey service got again what its predecessor had in hand: it died mid-consume.
    expect(await metricTotal(survey, 'event_consumer_redeliveries_total')).toBeGreaterThan(0);
  }, 180_000);
});
