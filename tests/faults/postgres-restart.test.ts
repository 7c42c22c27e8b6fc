import {
  expectNothingLostNothingDoubled,
  expectOnlyUnavailable,
  expectReadinessFollowed,
} from './support/invariants';
import { prepareIntake, startIntakeLoad } from './support/load';
import { type FaultSystem, sleep, startFaultSystem } from './support/system';

// Issue 17, fault injection: the PostgreSQL server every service uses stops (fast shutdown: every
// session cut) while intakes arrive at ~10/s, and starts again on the same data.
describe('PostgreSQL stopped and restarted under load (own PostgreSQL and nats-server)', () => {
  let system: FaultSystem;

  beforeAll(async () => {
    system = await startFaultSystem();
  }, 120_000);
  afterAll(() => system?.stop(), 60_000);

  it('R-CU-5 R-SV-1 refuses intakes as unavailable while it is down, then loses and doubles nothing; readiness follows the database', async () => {
    const load = startIntakeLoad(system, await prepareIntake(system), {
      perSecond: 10,
      completeEvery: 3,
    });
    await sleep(3_000);
    const faultAt = Date.now();
    await system.pg.stop();
    await sleep(8_000);
    await system.pg.start();
    const restoredAt = Date.now();
    await sleep(5_000);
    const result = await load.stop();

    // Refused while the database was down, and refused honestly (issue 17 item 4).
    expect(result.failures.length).toBeGreaterThan(0);
    expectOnlyUnavailable(result);
    await expectNothingLostNothingDoubled(system, result);
    expectReadinessFollowed(system, { faultAt, restoredAt });
  }, 180_000);
});
