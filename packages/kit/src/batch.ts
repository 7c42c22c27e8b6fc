/**
 * Batch loading answers in the order asked (DataLoader's contract, and what batch RPCs
 * promise): one slot per requested id, null where nothing was found.
 */
export function alignByIds<T extends { id: string }>(
  ids: readonly string[],
  found: readonly T[],
): (T | null)[] {
  const byId = new Map(found.map((x) => [x.id, x]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** The found items in the order asked, unknown ids left out. */
export const inRequestedOrder = <T extends { id: string }>(
  ids: readonly string[],
  found: readonly T[],
): T[] => alignByIds(ids, found).filter((x): x is T => x !== null);

/**
 * Child rows grouped under the parent keys asked for, in the order asked: one list per key (empty
 * where a parent has none), each in the order the rows came. One pass over the rows, whatever the
 * number of parents — the shape a DataLoader of "children of each parent" must return.
 */
export function groupByKeys<T, K>(
  keys: readonly K[],
  rows: readonly T[],
  keyOf: (row: T) => K,
): T[][] {
  const groups = new Map<K, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k)!);
}
