import { BusinessCalendar } from '@aftercare/calendar';
import { invalidArgument } from '@aftercare/kit/domain';
import { instant, isoDate, optionalText, requiredText } from './values';

/**
 * R-WO-10 a skill: a fault category, optionally narrowed to a product line, optionally resting on a
 * certificate (then it counts only while that certificate is valid).
 */
export interface Skill {
  category: string;
  productLine: string | null;
  certificateCode: string | null;
}

export interface Certificate {
  code: string;
  name: string;
  issuedOn: string | null;
  /** The last business date it is valid; null: it does not expire. */
  expiresOn: string | null;
}

export interface TrainingRecord {
  course: string;
  completedOn: string;
  passed: boolean;
}

/** R-WO-10 the qualifications register (维修人员必须经培训合格后方可上岗). */
export interface Qualifications {
  skills: Skill[];
  certificates: Certificate[];
  trainings: TrainingRecord[];
}

export const EMPTY_QUALIFICATIONS: Qualifications = Object.freeze({
  skills: [],
  certificates: [],
  trainings: [],
}) as unknown as Qualifications;

export interface QualificationsInput {
  skills?:
    | {
        category?: string | null;
        productLine?: string | null;
        certificateCode?: string | null;
      }[]
    | null;
  certificates?:
    | {
        code?: string | null;
        name?: string | null;
        issuedOn?: string | null;
        expiresOn?: string | null;
      }[]
    | null;
  trainings?:
    { course?: string | null; completedOn?: string | null; passed?: boolean | null }[] | null;
}

const MAX_ENTRIES = 100;
const code = (raw: string | null | undefined, field: string) =>
  requiredText(raw, field, 50).toUpperCase();

function capped<T>(list: readonly T[] | null | undefined, field: string): readonly T[] {
  if ((list?.length ?? 0) > MAX_ENTRIES)
    throw invalidArgument(`at most ${MAX_ENTRIES} entries`, field, 'TOO_MANY');
  return list ?? [];
}

/**
 * R-WO-10 validates a register as a whole: skill categories from the configured list, a skill's
 * certificate among the technician's certificates, no entry twice, expiry not before issue.
 */
export function parseQualifications(
  input: QualificationsInput,
  categories: readonly string[],
): Qualifications {
  const certificates = capped(input.certificates, 'certificates').map((c, i) => {
    const at = (n: string) => `certificates.${i}.${n}`;
    const issuedOn = c.issuedOn ? isoDate(c.issuedOn, at('issuedOn')) : null;
    const expiresOn = c.expiresOn ? isoDate(c.expiresOn, at('expiresOn')) : null;
    if (issuedOn && expiresOn && expiresOn < issuedOn)
      throw invalidArgument(
        'a certificate cannot expire before it is issued',
        at('expiresOn'),
        'EXPIRES_BEFORE_ISSUE',
      );
    return {
      code: code(c.code, at('code')),
      name: requiredText(c.name, at('name'), 100),
      issuedOn,
      expiresOn,
    };
  });
  unique(
    certificates.map((c) => c.code),
    'certificates',
    'code',
  );
  const skills = capped(input.skills, 'skills').map((s, i) => {
    const at = (n: string) => `skills.${i}.${n}`;
    const category = code(s.category, at('category'));
    if (!categories.includes(category))
      throw invalidArgument(
        `${category} is not a fault category (${categories.join(', ')})`,
        at('category'),
        'INVALID_VALUE',
      );
    const certificateCode = s.certificateCode
      ? code(s.certificateCode, at('certificateCode'))
      : null;
    if (certificateCode && !certificates.some((c) => c.code === certificateCode))
      throw invalidArgument(
        `certificate ${certificateCode} is not in the register`,
        at('certificateCode'),
        'UNKNOWN_CERTIFICATE',
      );
    const productLine = optionalText(s.productLine, at('productLine'), 50)?.toUpperCase() ?? null;
    return { category, productLine, certificateCode };
  });
  unique(
    skills.map((s) => `${s.category}/${s.productLine ?? '*'}`),
    'skills',
    'category',
  );
  const trainings = capped(input.trainings, 'trainings').map((t, i) => ({
    course: requiredText(t.course, `trainings.${i}.course`, 200),
    completedOn: isoDate(t.completedOn, `trainings.${i}.completedOn`),
    passed: t.passed ?? true,
  }));
  return { skills, certificates, trainings };
}

function unique(keys: readonly string[], list: string, field: string) {
  keys.forEach((k, i) => {
    if (keys.indexOf(k) !== i)
      throw invalidArgument(`${k} is listed twice`, `${list}.${i}.${field}`, 'DUPLICATE');
  });
}

/** A weekly shift in the business time zone: weekday 1 (Monday) … 7, from `start` to `end` (HH:MM). */
export interface Shift {
  weekday: number;
  start: string;
  end: string;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** R-WO-10 a shift pattern: shifts within a day (a night shift is two: to 24:00 and from 00:00). */
export function parseShiftPattern(
  input: readonly { weekday?: number | null; start?: string | null; end?: string | null }[],
): Shift[] {
  const shifts = capped(input, 'shifts').map((s, i) => {
    const at = (n: string) => `shifts.${i}.${n}`;
    const weekday = s.weekday ?? 0;
    if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7)
      throw invalidArgument('weekday is 1 (Monday) to 7 (Sunday)', at('weekday'), 'OUT_OF_RANGE');
    const time = (raw: string | null | undefined, n: string, allowMidnight: boolean) => {
      const t = (raw ?? '').trim();
      if (HHMM.test(t) || (allowMidnight && t === '24:00')) return t;
      throw invalidArgument(`${n} is a time HH:MM`, at(n), 'INVALID_TIME');
    };
    const start = time(s.start, 'start', false);
    const end = time(s.end, 'end', true);
    if (end <= start)
      throw invalidArgument('a shift ends after it starts', at('end'), 'OUT_OF_RANGE');
    return { weekday, start, end };
  });
  shifts.forEach((a, i) =>
    shifts.slice(0, i).forEach((b) => {
      if (a.weekday === b.weekday && a.start < b.end && b.start < a.end)
        throw invalidArgument('shifts of a day overlap', `shifts.${i}`, 'OVERLAP');
    }),
  );
  return shifts;
}

/** Leave (or any absence) from `startsAt` to `endsAt`, end exclusive. */
export interface Leave {
  id: string;
  startsAt: Date;
  endsAt: Date;
  kind: string;
}

export const LEAVE_KINDS = ['ANNUAL', 'SICK', 'TRAINING', 'PERSONAL', 'OTHER'] as const;
export type LeaveKind = (typeof LEAVE_KINDS)[number];

export function parseLeave(input: {
  startsAt?: Date | string | null;
  endsAt?: Date | string | null;
}): { startsAt: Date; endsAt: Date } {
  const startsAt = instant(input.startsAt, 'startsAt');
  const endsAt = instant(input.endsAt, 'endsAt');
  if (endsAt.getTime() <= startsAt.getTime())
    throw invalidArgument('leave ends after it starts', 'endsAt', 'OUT_OF_RANGE');
  if (endsAt.getTime() - startsAt.getTime() > 366 * 86_400_000)
    throw invalidArgument('one leave lasts at most a year', 'endsAt', 'OUT_OF_RANGE');
  return { startsAt, endsAt };
}

/** What dispatch and the board know of a technician's people side (R-WO-10). */
export interface PersonOnRoster {
  skills: readonly string[];
  qualifications: Qualifications;
  /** Null: no pattern of their own, they work the business calendar's working hours. */
  shifts: readonly Shift[] | null;
  leave: readonly Leave[];
}

export const AVAILABILITY_REFUSALS = [
  'TECHNICIAN_ABSENT',
  'NOT_QUALIFIED',
  'CERTIFICATE_EXPIRED',
] as const;
export type PeopleRefusal = (typeof AVAILABILITY_REFUSALS)[number];

export interface Availability {
  available: boolean;
  /** Why not: ON_LEAVE or OFF_SHIFT; null when available. */
  reason: 'ON_LEAVE' | 'OFF_SHIFT' | null;
  /** The leave that makes them absent, when that is why. */
  leave: Leave | null;
}

/**
 * An instant as shifts read it: its weekday (1 = Monday) and HH:MM in the business time zone, and
 * whether the business calendar counts it as working time. Time-zone arithmetic is what checking
 * a person costs most, so a roster checked against one instant works it out once (shiftClockAt).
 */
export interface ShiftClock {
  at: Date;
  weekday: number;
  time: string;
  workingTime: boolean;
}

export function shiftClockAt(at: Date, calendar: BusinessCalendar): ShiftClock {
  const local = calendar.toLocalIso(at); // YYYY-MM-DDTHH:MM…
  return {
    at,
    weekday: ((new Date(`${local.slice(0, 10)}T00:00:00Z`).getUTCDay() + 6) % 7) + 1,
    time: local.slice(11, 16),
    workingTime: calendar.isWorkingTime(at),
  };
}

/** R-WO-10 whether a technician is at work at `at`: not on leave, and inside a shift. */
export function availabilityAt(
  p: PersonOnRoster,
  at: Date,
  calendar: BusinessCalendar,
): Availability {
  return availabilityIn(p, shiftClockAt(at, calendar));
}

/** R-WO-10 availabilityAt with the instant's clock worked out already. */
export function availabilityIn(p: PersonOnRoster, clock: ShiftClock): Availability {
  const { at } = clock;
  const leave = p.leave.find((l) => l.startsAt <= at && at < l.endsAt) ?? null;
  if (leave) return { available: false, reason: 'ON_LEAVE', leave };
  if (!inShift(p.shifts, clock)) return { available: false, reason: 'OFF_SHIFT', leave: null };
  return { available: true, reason: null, leave: null };
}

function inShift(shifts: readonly Shift[] | null, clock: ShiftClock): boolean {
  if (shifts === null) return clock.workingTime;
  const { weekday, time } = clock;
  return shifts.some((s) => s.weekday === weekday && s.start <= time && time < s.end);
}

/** What an order needs of a technician: its fault category and, when known, the product line. */
export interface JobNeeds {
  category: string;
  productLine: string | null;
}

/**
 * R-WO-10 whether a technician is qualified for the job on `day` (a business date): a skill for its
 * category — for every product line, or the job's — that needs no certificate or whose certificate
 * is still valid. The roster's plain `skills` count as skills for every product line.
 */
export function qualificationFor(
  p: Pick<PersonOnRoster, 'skills' | 'qualifications'>,
  job: JobNeeds,
  day: string,
): 'NOT_QUALIFIED' | 'CERTIFICATE_EXPIRED' | null {
  if (p.skills.includes(job.category)) return null;
  const matching = p.qualifications.skills.filter(
    (s) =>
      s.category === job.category &&
      (s.productLine === null || job.productLine === null || s.productLine === job.productLine),
  );
  if (matching.length === 0) return 'NOT_QUALIFIED';
  const valid = (code: string | null) => {
    if (code === null) return true;
    const cert = p.qualifications.certificates.find((c) => c.code === code);
    return !!cert && (cert.expiresOn === null || cert.expiresOn >= day);
  };
  return matching.some((s) => valid(s.certificateCode)) ? null : 'CERTIFICATE_EXPIRED';
}

/** R-WO-10 certificates that expire within `days` of `today` (or have expired), soonest first. */
export function expiringCertificates(
  q: Qualifications,
  today: string,
  days: number,
): Certificate[] {
  const limit = new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000)
    .toISOString()
    .slice(0, 10);
  return q.certificates
    .filter((c) => c.expiresOn !== null && c.expiresOn <= limit)
    .sort((a, b) => (a.expiresOn! < b.expiresOn! ? -1 : a.expiresOn! > b.expiresOn! ? 1 : 0));
}
