import { invalidArgument } from '@aftercare/kit';

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

export function requiredText(raw: string | undefined | null, field: string, max = 200): string {
  const text = (raw ?? '').trim();
  if (!text) throw invalidArgument(`${field} is required`, field, 'REQUIRED');
  if (text.length > max)
    throw invalidArgument(`${field} is longer than ${max} characters`, field, 'TOO_LONG');
  return text;
}

export function optionalText(
  raw: string | undefined | null,
  field: string,
  max = 200,
): string | null {
  const text = (raw ?? '').trim();
  if (!text) return null;
  if (text.length > max)
    throw invalidArgument(`${field} is longer than ${max} characters`, field, 'TOO_LONG');
  return text;
}

/** ISO calendar date "YYYY-MM-DD" that exists (no 2026-02-30). */
export function isoDate(raw: string | undefined | null, field: string): string | null {
  if (!raw) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!d || d.toISOString().slice(0, 10) !== raw) {
    throw invalidArgument(
      `${field} must be a date as YYYY-MM-DD (got "${raw}")`,
      field,
      'INVALID_DATE',
    );
  }
  return raw;
}

/** Adds days to an ISO date, staying in calendar arithmetic (no time zone involved). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The local calendar date of an instant in the business time zone. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}
