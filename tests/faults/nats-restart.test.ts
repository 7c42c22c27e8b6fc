import { expectNothingLostNothingDoubled, expectReadinessFollowed } from './support/invariants';
import { faultUnderLoad } from './support/load';
import { type FaultSystem, startFaultSystem } from './support/system';

// Issue 17, fault injection: NATS crashes (SIGKILL) while intakes arrive at ~10/s and comes back
// on the same JetStream store.
describe('NATS killed and restarted under load (own nats-server and PostgreSQL)', () => {
  let system: FaultSystem;

  beforeAll(async () => {
    system = await startFaultSystem();
  }, 120_000);
  afterAll(() => system?.stop(), 60_000);

  it('R-CU-5 R-SV-1 intake goes on through the outage; every event is published and applied exactly once; readiness follows NATS', async () => {
    const run = await faultUnderLoad(system, {
      inject: () => system.nats.stop('SIGKILL'),
      outageMs: 8_000,
      restore: () => system.nats.start(),
    });

    // No request path needs NATS: the outbox keeps every event of the outage (issue 17 item 4).
    expect(run.result.failures).toEqual([]);
    expect(run.registeredDuringFault).toBeGreaterThan(5);
    await expectNothingLostNothingDoubled(system, run.result);
    expectReadinessFollowed(system, run);
  }, 180_000);
});
