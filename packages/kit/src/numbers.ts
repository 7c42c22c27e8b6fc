/**
 * Human numbers staff quote on the phone (`WO-20261124-0042`, `CP-20261124-00017`,
 * `CUS-000123`): a prefix, the local business date when the series is dated, and a counter padded
 * to `digits`. Each series keeps the format of the numbers it has already issued, so numbers on
 * paper stay valid; past the padding a number simply grows a digit rather than wrapping.
 */
export interface NumberFormat {
  prefix: string;
  /** Minimum width of the counter. */
  digits: number;
  /** Whether the local business date (`YYYYMMDD`) stands between prefix and counter. */
  dated: boolean;
}

/** `localDate` is the business date `YYYY-MM-DD` (from the calendar); only dated formats use it. */
export function formatNumber(format: NumberFormat, sequence: number, localDate?: string): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1)
    throw new RangeError(`sequence must be a whole number from 1, got ${sequence}`);
  return numberStem(format, localDate) + String(sequence).padStart(format.digits, '0');
}

/** What comes before the counter: `WO-20261124-`, `CUS-`. */
export function numberStem(format: NumberFormat, localDate?: string): string {
  if (!format.dated) return `${format.prefix}-`;
  if (!localDate || !/^\d{4}-\d{2}-\d{2}$/.test(localDate))
    throw new RangeError(`a dated number needs a business date YYYY-MM-DD, got ${localDate}`);
  return `${format.prefix}-${localDate.replaceAll('-', '')}-`;
}

/** A number of one of `formats` read back (for search), or null when it is none of them. */
export function parseNumber(
  formats: readonly NumberFormat[],
  text: string,
): { prefix: string; day: string | null; sequence: number } | null {
  const m = /^([A-Z]+)-(?:(\d{8})-)?(\d+)$/.exec(text.trim().toUpperCase());
  const format = formats.find((f) => f.prefix === m?.[1]);
  const sequence = Number(m?.[3]);
  if (!m || !format || format.dated !== (m[2] !== undefined)) return null;
  if ((m[3] as string).length < format.digits || !Number.isSafeInteger(sequence) || sequence < 1)
    return null;
  return { prefix: format.prefix, day: m[2] ?? null, sequence };
}
