import { invalidArgument, isoDate } from '@aftercare/kit/domain';

export { optionalText, requiredText } from '@aftercare/kit/domain';

/**
 * Phone numbers are normalised before they are stored or searched, so "138 0013 8000",
 * "+86 13800138000" and "13800138000" are the same customer on the phone.
 */
export function normaliseMobile(raw: string, field: string): string {
  const digits = raw.replace(/[\s()-]/g, '').replace(/^(\+86|0086)/, '');
  if (!/^1[3-9]\d{9}$/.test(digits)) {
    throw invalidArgument(
      `"${raw}" is not a valid mobile number (11 digits starting with 13–19)`,
      field,
      'INVALID_PHONE',
    );
  }
  return digits;
}

/** Landlines keep their area code: "010-12345678", "0571 8888 6666 ext. 12" → "0571-88886666-12". */
export function normaliseLandline(raw: string, field: string): string {
  const compact = raw
    .replace(/\s+/g, '')
    .replace(/^(\+86|0086)/, '0')
    .replace(/(ext\.?|转|#)/i, '-');
  const m = /^(0\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?$/.exec(compact);
  if (!m) {
    throw invalidArgument(
      `"${raw}" is not a valid landline number (area code and 7–8 digits)`,
      field,
      'INVALID_PHONE',
    );
  }
  return [m[1], m[2], m[3]].filter(Boolean).join('-');
}

/** Search accepts either form and compares digits only. */
export function phoneSearchKey(raw: string): string {
  return raw.replace(/^(\+86|0086)/, '').replace(/\D/g, '');
}

export function normaliseEmail(raw: string, field: string): string {
  const email = raw.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
    throw invalidArgument(`"${raw}" is not a valid e-mail address`, field, 'INVALID_EMAIL');
  }
  return email;
}

/** An optional ISO calendar date: absent stays null, anything else must be a real date. */
export const optionalIsoDate = (raw: string | undefined | null, field: string): string | null =>
  raw ? isoDate(raw, field) : null;

/**
 * One formatter per time zone: building one costs hundreds of microseconds (ICU data), formatting
 * with it about one, and every entitlement check (each intake, each asset read) asks for a date.
 */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date of an instant in the business time zone. */
export function localDate(at: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  return format.format(at);
}
