import type { EntityManager } from '@aftercare/kit';
import { slaPolicyCache } from '../../src/app/sla-policy-cache';
import { DEFAULT_SLA_POLICIES } from '../../src/domain';

/** An entity manager that answers `find` with the given rows, counting the reads. */
function fakeEm(rows: () => object[]) {
  const em = { reads: 0, find: async () => (em.reads++, rows()) };
  return em as typeof em & EntityManager;
}
const policy = (version: number) => ({ ...DEFAULT_SLA_POLICIES[0]!, version, retired: false });

describe('R-WO-12 the policies intake reads, kept between orders', () => {
  it('R-WO-12 are read once, then again only after a change or when they are older than the TTL', async () => {
    let clock = 0;
    let version = 1;
    const em = fakeEm(() => [policy(version)]);
    const cache = slaPolicyCache(10_000, () => clock);
    expect((await cache.current(em))[0]).toMatchObject({ version: 1 });
    await cache.current(em);
    expect(em.reads).toBe(1);

    version = 2;
    cache.invalidate();
    expect((await cache.current(em))[0]).toMatchObject({ version: 2 });
    expect(em.reads).toBe(2);

    version = 3;
    clock += 9_999;
    expect((await cache.current(em))[0]).toMatchObject({ version: 2 });
    clock += 1;
    expect((await cache.current(em))[0]).toMatchObject({ version: 3 });
  });

  it('R-WO-12 a read that began before a change serves its caller but is not kept', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let version = 1;
    const slow = { find: async () => (await gate, [policy(1)]) } as unknown as EntityManager;
    const cache = slaPolicyCache(10_000, () => 0);
    const before = cache.current(slow);
    version = 2;
    cache.invalidate();
    release();
    expect((await before)[0]).toMatchObject({ version: 1 });
    const em = fakeEm(() => [policy(version)]);
    expect((await cache.current(em))[0]).toMatchObject({ version: 2 });
    expect(em.reads).toBe(1);
  });

  it('R-WO-12 hands out copies detached from the unit of work, with id, version and terms', async () => {
    const cache = slaPolicyCache();
    const [p] = await cache.current(fakeEm(() => [policy(4)]));
    expect(Object.isFrozen(p)).toBe(true);
    expect(p).toEqual({ ...DEFAULT_SLA_POLICIES[0], version: 4 });
  });
});
