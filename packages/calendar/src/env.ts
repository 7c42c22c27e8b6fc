import {
  BusinessCalendarConfig,
  CalendarConfigError,
  WorkingInterval,
  resolveCalendarConfig,
} from './config';

/** The environment variables a service reads its business calendar from (all optional). */
export const CALENDAR_ENV = {
  timeZone: 'BUSINESS_TZ',
  workingHours: 'BUSINESS_HOURS',
  workingWeekdays: 'BUSINESS_DAYS',
  holidays: 'BUSINESS_HOLIDAYS',
  workingDays: 'BUSINESS_WORKDAYS',
} as const;

/** `process.env`, or a JSON object with the same keys whose list settings may also be arrays. */
export type CalendarEnv = Readonly<Record<string, unknown>>;

/**
 * Reads a validated calendar config from environment variables (or a JSON text of the same shape),
 * defaulting every missing or blank one:
 * - `BUSINESS_TZ` — `Asia/Shanghai`
 * - `BUSINESS_HOURS` — `08:30-17:30`; a lunch break as `08:30-12:00,13:00-17:30`
 * - `BUSINESS_DAYS` — ISO weekdays (1 = Monday … 7 = Sunday) as list and/or ranges: `1-5`, `1,2,3,4,5,6`
 * - `BUSINESS_HOLIDAYS`, `BUSINESS_WORKDAYS` — comma lists of `YYYY-MM-DD` (default none)
 * Errors are `CalendarConfigError`s naming the variable at fault.
 */
export function parseCalendarConfig(source: CalendarEnv | string): BusinessCalendarConfig {
  const env = typeof source === 'string' ? parseJson(source) : source;
  const input = {
    timeZone: readText(env, 'timeZone'),
    workingHours: read(env, 'workingHours', (items, name) =>
      items.map((item) => parseInterval(item, name)),
    ),
    workingWeekdays: read(env, 'workingWeekdays', (items, name) =>
      items.flatMap((item) => parseWeekdays(item, name)),
    ),
    holidays: read(env, 'holidays', (items) => items),
    workingDays: read(env, 'workingDays', (items) => items),
  };
  try {
    return resolveCalendarConfig(input);
  } catch (error) {
    // Report the variable the operator set, not the internal config key.
    if (!(error instanceof CalendarConfigError) || !(error.setting in CALENDAR_ENV)) throw error;
    throw new CalendarConfigError(
      CALENDAR_ENV[error.setting as keyof typeof CALENDAR_ENV],
      error.detail,
    );
  }
}

function parseJson(text: string): CalendarEnv {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CalendarConfigError('JSON', `not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CalendarConfigError('JSON', 'must be an object of BUSINESS_* settings');
  }
  return parsed as CalendarEnv;
}

function readText(env: CalendarEnv, key: keyof typeof CALENDAR_ENV): string | undefined {
  const raw = env[CALENDAR_ENV[key]];
  const text = raw === undefined || raw === null ? '' : String(raw).trim();
  return text === '' ? undefined : text;
}

/**
 * Splits a present, non-blank variable into trimmed comma-separated items (a JSON array is taken as
 * the items) and parses them; a missing or blank variable leaves the default.
 */
function read<T>(
  env: CalendarEnv,
  key: keyof typeof CALENDAR_ENV,
  parse: (items: string[], name: string) => T,
): T | undefined {
  const name = CALENDAR_ENV[key];
  const raw = env[name];
  if (raw === undefined || raw === null) return undefined;
  const items = (Array.isArray(raw) ? raw.map(String) : String(raw).split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items.length === 0 ? undefined : parse(items, name);
}

function parseInterval(text: string, name: string): WorkingInterval {
  const [start, end, ...rest] = text.split('-').map((part) => part.trim());
  if (!start || !end || rest.length > 0)
    throw new CalendarConfigError(name, `"${text}" is not an interval HH:MM-HH:MM`);
  return { start, end };
}

function parseWeekdays(text: string, name: string): number[] {
  const parts = text.split('-').map((part) => part.trim());
  if (parts.length > 2 || parts.some((part) => !/^[1-7]$/.test(part))) {
    throw new CalendarConfigError(
      name,
      `"${text}" is not a weekday 1-7 (1 = Monday) or a range like 1-5`,
    );
  }
  const [from, to = from] = parts.map(Number) as [number, number?];
  if (to < from) throw new CalendarConfigError(name, `range "${text}" ends before it starts`);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
