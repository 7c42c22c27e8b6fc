export { BusinessCalendar } from './calendar';
export { CalendarConfigError, DEFAULT_CALENDAR_CONFIG, resolveCalendarConfig } from './config';
export type { BusinessCalendarConfig, WorkingInterval } from './config';
export { CALENDAR_ENV, parseCalendarConfig } from './env';
export type { CalendarEnv } from './env';
