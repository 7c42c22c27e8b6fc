/** Capped exponential back-off: base, 2×base, 4×base, … up to `cap` (attempt counts from 1). */
export function backoffDelay(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
