/**
 * Reads until `ok` holds or `ms` have passed, and returns the last value read: for what a consumer
 * does some time after an event is published. The test asserts on the value, so a timeout fails
 * with what was actually there.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
