import { invalidArgument, isUuid } from '@aftercare/kit/domain';

/** R-CU-4: a purpose is a short line of text, e.g. "complaint call CMP-2026-0042". */
export const PURPOSE_MAX_LENGTH = 200;
/** An export covers at most this many days, and at most `EXPORT_MAX_ROWS` reads. */
export const EXPORT_MAX_DAYS = 31;
export const EXPORT_MAX_ROWS = 10_000;

const DAY_MS = 24 * 60 * 60 * 1000;
const CONTROL_CHARS = /\p{Cc}/u;

/** The purpose a caller gave, trimmed; refused when blank, too long or with control characters. */
export function checkPurpose(raw: string, field = 'purpose'): string {
  const purpose = raw.trim();
  if (!purpose || purpose.length > PURPOSE_MAX_LENGTH || CONTROL_CHARS.test(purpose)) {
    throw invalidArgument(
      `purpose must be 1–${PURPOSE_MAX_LENGTH} characters of text on one line`,
      field,
      'INVALID_PURPOSE',
    );
  }
  return purpose;
}

/** The purpose of a read no caller explained: the operation or method it came through. */
export const purposeOfOperation = (channel: 'graphql' | 'grpc', name: string | undefined) =>
  channel === 'graphql' ? `operation ${name ?? 'anonymous'}` : `method ${name}`;

export interface ReadLogFilterInput {
  customerId?: string | null;
  assetId?: string | null;
  staffId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

export interface ReadLogFilter {
  customerId?: string;
  assetId?: string;
  staffId?: string;
  from?: Date;
  to?: Date;
}

/** The auditors' filter, checked: ids are uuids, a staff id is short, the period runs forward. */
export function readLogFilter(input: ReadLogFilterInput, path = 'filter'): ReadLogFilter {
  const filter: ReadLogFilter = {};
  for (const key of ['customerId', 'assetId'] as const) {
    const id = input[key];
    if (id == null) continue;
    if (!isUuid(id))
      throw invalidArgument(`${key} is not a valid id`, `${path}.${key}`, 'INVALID_ID');
    filter[key] = id;
  }
  if (input.staffId != null) {
    const staffId = input.staffId.trim();
    if (!staffId || staffId.length > 100)
      throw invalidArgument('staffId must be 1–100 characters', `${path}.staffId`, 'INVALID_ID');
    filter.staffId = staffId;
  }
  for (const key of ['from', 'to'] as const) {
    const at = input[key];
    if (at == null) continue;
    if (Number.isNaN(at.getTime()))
      throw invalidArgument(`${key} is not a valid time`, `${path}.${key}`, 'INVALID_TIME');
    filter[key] = at;
  }
  if (filter.from && filter.to && filter.from >= filter.to)
    throw invalidArgument('from must be before to', `${path}.to`, 'INVALID_PERIOD');
  return filter;
}

/** An export names its period, at most `EXPORT_MAX_DAYS` long: a file an auditor can open. */
export function exportFilter(
  input: ReadLogFilterInput,
  path = 'filter',
): Required<Pick<ReadLogFilter, 'from' | 'to'>> & ReadLogFilter {
  const filter = readLogFilter(input, path);
  if (!filter.from || !filter.to)
    throw invalidArgument('an export needs both from and to', `${path}.from`, 'PERIOD_REQUIRED');
  if (filter.to.getTime() - filter.from.getTime() > EXPORT_MAX_DAYS * DAY_MS)
    throw invalidArgument(
      `an export covers at most ${EXPORT_MAX_DAYS} days`,
      `${path}.to`,
      'PERIOD_TOO_LONG',
    );
  return filter as ReturnType<typeof exportFilter>;
}

/** One CSV field (RFC 4180); text a spreadsheet would run as a formula is quoted as text. */
export function csvField(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (fields: readonly (string | null)[]): string =>
  `${fields.map(csvField).join(',')}\r\n`;
