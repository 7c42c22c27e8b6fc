const NOTHING = Symbol('nothing buffered');

/** Settles on the event loop's next turn, once every microtask queued now has run. */
function nextTurn(): { promise: Promise<typeof NOTHING>; cancel: () => void } {
  let timer: NodeJS.Immediate | undefined;
  const promise = new Promise<typeof NOTHING>((resolve) => {
    timer = setImmediate(() => resolve(NOTHING));
  });
  return { promise, cancel: () => clearImmediate(timer) };
}

/**
 * The messages of a consumer's iterator in batches of what it already holds: each batch waits for
 * its first message, then takes, up to `max`, only those received and not yet read — it never
 * waits for more, so a lone message is a batch of one as soon as it arrives. `getPending()` is a
 * hint (it can count the library's status callbacks); a message counts as buffered only if the
 * iterator hands it over before the event loop's next turn, else the read is kept for the next batch.
 */
export async function* inBatches<T>(
  source: AsyncIterable<T> & { getPending(): number },
  max: number,
): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let ahead: Promise<IteratorResult<T>> | undefined;
  try {
    for (;;) {
      const first = await (ahead ?? iterator.next());
      ahead = undefined;
      if (first.done) return;
      const batch = [first.value];
      let ended = false;
      while (batch.length < max && source.getPending() > 0) {
        const next = iterator.next();
        const turn = nextTurn();
        const taken = await Promise.race([next, turn.promise]);
        turn.cancel();
        if (taken === NOTHING) {
          ahead = next;
          break;
        }
        if (taken.done) {
          ended = true;
          break;
        }
        batch.push(taken.value);
      }
      yield batch;
      if (ended) return;
    }
  } finally {
    // As a `for await` that breaks: the source stops. Not awaited, as a read kept `ahead` only
    // settles once the source is closed.
    void iterator.return?.(undefined).catch(() => undefined);
  }
}
