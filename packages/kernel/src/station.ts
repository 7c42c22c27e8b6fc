import { invalidArgument, requiredText } from '@aftercare/kit/domain';

/**
 * A service station's code (服务站): the station handling a work order, and the code its own
 * warehouse carries in the inventory service (R-IN-1), so the same pattern as warehouse codes —
 * trimmed, upper-cased (staff type `sh-01` as often as `SH-01`), 2–32 of A–Z, 0–9 and "-".
 */
export const STATION_CODE_PATTERN = /^[A-Z0-9-]{2,32}$/;

export function stationCode(raw: string | null | undefined, field: string): string {
  const text = requiredText(raw, field, 32).toUpperCase();
  if (!STATION_CODE_PATTERN.test(text)) {
    throw invalidArgument(
      `${field} must be 2–32 characters of A–Z, 0–9 and "-" (got "${text}")`,
      field,
      'INVALID_STATION_CODE',
    );
  }
  return text;
}

/** An optional station code: missing or blank is null, anything else must be a valid code. */
export const optionalStationCode = (
  raw: string | null | undefined,
  field: string,
): string | null => ((raw ?? '').trim() ? stationCode(raw, field) : null);
