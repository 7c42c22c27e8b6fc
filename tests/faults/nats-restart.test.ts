import { expectNothingLostNothingDoubled, expectReadinessFollowed } from './support/invariants';
import { prepareIntake, startIntakeLoad } from './support/load';
import { type FaultSystem, sleep, startFaultSystem } from './support/system';

// Issue 17, fault injection: NATS crashes (SIGKILL) while intakes arrive at ~10/s and comes back
// on the same JetStream store.
describe('NATS killed and restarted under load (own nats-server and PostgreSQL)', () => {
  let system: FaultSystem;

  beforeAll(async () => {
    system = await startFaultSystem();
  }, 120_000);
  afterAll(() => system?.stop(), 60_000);

  it('R-CU-5 R-SV-1 intake goes on through the outage; every event is published and applied exactly once; readiness follows NATS', async () => {
    const load = startIntakeLoad(system, await prepareIntake(system), {
      perSecond: 10,
      completeEvery: 3,
    });
    await sleep(3_000);
    const faultAt = Date.now();
    await system.nats.stop('SIGKILL');
    const registeredBefore = load.registeredCount();
    await sleep(8_000);
    const registeredDuring = load.registeredCount() - registeredBefore;
    await system.nats.start();
    const restoredAt = Date.now();
    await sleep(4_000);
    const result = await load.stop();

    // No request path needs NATS: the outbox keeps every event of the outage (issue 17 item 4).
    expect(result.failures).toEqual([]);
    expect(registeredDuring).toBeGreaterThan(5);
    await expectNothingLostNothingDoubled(system, result);
    expectReadinessFollowed(system, { faultAt, restoredAt });
  }, 180_000);
});
