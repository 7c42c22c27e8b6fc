import { inBatches } from '../../src/events/batches';

/** A source that holds `buffered` at once and hands `later` over only when released. */
function source(buffered: number[], pendingHint: () => number) {
  let release: (() => void) | undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  async function* messages(later: number[]) {
    yield* buffered;
    await released;
    yield* later;
  }
  return {
    of: (later: number[]) =>
      Object.assign(messages(later), { getPending: pendingHint }) as AsyncIterable<number> & {
        getPending(): number;
      },
    release: () => release!(),
  };
}

describe('inBatches', () => {
  it('takes what is buffered, up to the maximum, and never waits for more', async () => {
    // The hint overcounts (as status callbacks in the library's queue make it): it is only a hint.
    const { of, release } = source([1, 2, 3, 4, 5], () => 10);
    const batches = inBatches(of([6]), 3);
    expect((await batches.next()).value).toEqual([1, 2, 3]);
    expect((await batches.next()).value).toEqual([4, 5]);
    const next = batches.next();
    let settled = false;
    void next.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    release();
    expect((await next).value).toEqual([6]);
    expect((await batches.next()).done).toBe(true);
  });

  it('a message alone is a batch of one when nothing is said to be pending', async () => {
    const { of, release } = source([1, 2], () => 0);
    const batches = inBatches(of([]), 20);
    expect((await batches.next()).value).toEqual([1]);
    expect((await batches.next()).value).toEqual([2]);
    release();
    expect((await batches.next()).done).toBe(true);
  });
});
