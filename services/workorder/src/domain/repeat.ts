import { numberIn } from './values';

export const DEFAULT_REPEAT_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

export interface RepeatCandidate {
  id?: string | null;
  assetId: string | null;
  category: string;
  calledAt: Date;
}

export interface CompletedOrder {
  id: string;
  assetId: string | null;
  category: string;
  completedAt: Date;
}

/**
 * R-WO-8 (禁止同一问题重复修理): the earlier order a new one repeats — same asset, same fault
 * category, called within `windowDays` × 24 h of that order's completion — the most recent one if
 * several; null when it is no repeat. Orders without an asset never repeat.
 */
export function isRepeatRepair(
  order: RepeatCandidate,
  previous: readonly CompletedOrder[],
  windowDays = DEFAULT_REPEAT_WINDOW_DAYS,
): CompletedOrder | null {
  numberIn(windowDays, 'windowDays', { min: 1, max: 3650, integer: true });
  if (!order.assetId) return null;
  const calledAt = order.calledAt.getTime();
  const matches = previous.filter((p) => {
    const since = calledAt - p.completedAt.getTime();
    return (
      p.id !== order.id &&
      p.assetId === order.assetId &&
      p.category === order.category &&
      since >= 0 &&
      since <= windowDays * DAY_MS
    );
  });
  return matches.reduce<CompletedOrder | null>(
    (latest, p) => (!latest || p.completedAt > latest.completedAt ? p : latest),
    null,
  );
}
