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
