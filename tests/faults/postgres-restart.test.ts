import {
  expectNothingLostNothingDoubled,
  expectOnlyUnavailable,
  expectReadinessFollowed,
} from './support/invariants';
import { faultUnderLoad } from './support/load';
import { type FaultSystem, startFaultSystem } from './support/system';

// Issue 17, fault injection: the PostgreSQL server every service uses stops (fast shutdown: every
// session cut) while intakes arrive at ~10/s, and starts again on the same data.
describe('PostgreSQL stopped and restarted under load (own PostgreSQL and nats-server)', () => {
  let system: FaultSystem;

  beforeAll(async () => {
    system = await startFaultSystem();
  }, 120_000);
  afterAll(() => system?.stop(), 60_000);

  it('R-CU-5 R-SV-1 refuses intakes as unavailable while it is down, then loses and doubles nothing; readiness follows the database', async () => {
    const run = await faultUnderLoad(
      system,
      { inject: () => system.pg.stop(), outageMs: 8_000, restore: () => system.pg.start() },
      { settleMs: 5_000 },
    );

    // Refused while the database was down, and refused honestly (issue 17 item 4).
    expect(run.result.failures.length).toBeGreaterThan(0);
    expectOnlyUnavailable(run.result);
    await expectNothingLostNothingDoubled(system, run.result);
    expectReadinessFollowed(system, run);
  }, 180_000);
});
