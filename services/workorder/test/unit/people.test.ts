import { BusinessCalendar } from '@aftercare/calendar';
import {
  availabilityAt,
  DEFAULT_FAULT_CATEGORIES,
  EMPTY_QUALIFICATIONS,
  expiringCertificates,
  parseLeave,
  parseQualifications,
  parseShiftPattern,
  planAssignment,
  qualificationFor,
  type Technician,
} from '../../src/domain';
import { errorOf } from './helpers';

const calendar = new BusinessCalendar();
const at = (local: string) => calendar.fromLocal(local);
const register = parseQualifications(
  {
    skills: [
      { category: 'electrical', productLine: 'ev-100', certificateCode: 'hv' },
      { category: 'MECHANICAL' },
    ],
    certificates: [
      { code: 'HV', name: 'High voltage', issuedOn: '2025-01-01', expiresOn: '2026-12-31' },
    ],
    trainings: [{ course: 'EV-100 drive train', completedOn: '2025-02-01' }],
  },
  DEFAULT_FAULT_CATEGORIES,
);

describe('R-WO-10 qualifications register', () => {
  it('R-WO-10 normalises skills per category and product line, certificates and training', () => {
    expect(register).toEqual({
      skills: [
        { category: 'ELECTRICAL', productLine: 'EV-100', certificateCode: 'HV' },
        { category: 'MECHANICAL', productLine: null, certificateCode: null },
      ],
      certificates: [
        { code: 'HV', name: 'High voltage', issuedOn: '2025-01-01', expiresOn: '2026-12-31' },
      ],
      trainings: [{ course: 'EV-100 drive train', completedOn: '2025-02-01', passed: true }],
    });
  });

  it('R-WO-10 refuses a bad register with the field and reason', () => {
    const bad = (input: object) =>
      errorOf(() => parseQualifications(input, DEFAULT_FAULT_CATEGORIES));
    expect(bad({ skills: [{ category: 'PLUMBING' }] })).toMatchObject({
      field: 'skills.0.category',
      reason: 'INVALID_VALUE',
    });
    expect(bad({ skills: [{ category: 'BODY', certificateCode: 'X' }] })).toMatchObject({
      field: 'skills.0.certificateCode',
      reason: 'UNKNOWN_CERTIFICATE',
    });
    expect(bad({ skills: [{ category: 'BODY' }, { category: 'body' }] })).toMatchObject({
      field: 'skills.1.category',
      reason: 'DUPLICATE',
    });
    expect(
      bad({
        certificates: [{ code: 'A', name: 'A', issuedOn: '2026-01-02', expiresOn: '2026-01-01' }],
      }),
    ).toMatchObject({
      field: 'certificates.0.expiresOn',
      reason: 'EXPIRES_BEFORE_ISSUE',
    });
    expect(
      bad({ certificates: [{ code: 'A', name: 'A', expiresOn: '2026-13-01' }] }),
    ).toMatchObject({ field: 'certificates.0.expiresOn' });
    expect(bad({ trainings: [{ course: 'c' }] })).toMatchObject({
      field: 'trainings.0.completedOn',
    });
  });

  it('R-WO-10 qualified: a skill for the category on the product line (or all lines), its certificate valid that day', () => {
    const p = { skills: [] as string[], qualifications: register };
    const ev = { category: 'ELECTRICAL', productLine: 'EV-100' };
    expect(qualificationFor(p, ev, '2026-12-31')).toBeNull();
    expect(qualificationFor(p, ev, '2027-01-01')).toBe('CERTIFICATE_EXPIRED');
    expect(qualificationFor(p, { ...ev, productLine: 'EV-200' }, '2026-12-01')).toBe(
      'NOT_QUALIFIED',
    );
    // The order names no product line: a skill on any line will do.
    expect(qualificationFor(p, { ...ev, productLine: null }, '2026-12-01')).toBeNull();
    expect(
      qualificationFor(p, { category: 'MECHANICAL', productLine: 'ANY' }, '2030-01-01'),
    ).toBeNull();
    expect(qualificationFor(p, { category: 'BODY', productLine: null }, '2026-12-01')).toBe(
      'NOT_QUALIFIED',
    );
    // The roster's plain skills count for every product line.
    expect(
      qualificationFor(
        { skills: ['BODY'], qualifications: EMPTY_QUALIFICATIONS },
        { category: 'BODY', productLine: 'X' },
        '2026-12-01',
      ),
    ).toBeNull();
  });

  it('R-WO-10 certificates about to expire are listed for the reminder, soonest first', () => {
    const q = parseQualifications(
      {
        certificates: [
          { code: 'LATE', name: 'l', expiresOn: '2027-03-01' },
          { code: 'SOON', name: 's', expiresOn: '2026-12-20' },
          { code: 'GONE', name: 'g', expiresOn: '2026-11-01' },
          { code: 'EVER', name: 'e' },
        ],
      },
      DEFAULT_FAULT_CATEGORIES,
    );
    expect(expiringCertificates(q, '2026-12-01', 30).map((c) => c.code)).toEqual(['GONE', 'SOON']);
    expect(expiringCertificates(q, '2026-12-01', 0).map((c) => c.code)).toEqual(['GONE']);
  });
});

describe('R-WO-10 shifts and leave in the business time zone', () => {
  const shifts = parseShiftPattern([
    { weekday: 6, start: '08:00', end: '16:00' },
    { weekday: 7, start: '20:00', end: '24:00' },
  ]);
  const person = (over: object = {}) => ({
    skills: [],
    qualifications: EMPTY_QUALIFICATIONS,
    shifts: null,
    leave: [],
    ...over,
  });

  it('R-WO-10 without a pattern a technician works the business calendar hours', () => {
    expect(availabilityAt(person(), at('2026-11-30T10:00'), calendar)).toEqual({
      available: true,
      reason: null,
      leave: null,
    });
    expect(availabilityAt(person(), at('2026-11-28T10:00'), calendar)).toMatchObject({
      available: false,
      reason: 'OFF_SHIFT',
    });
  });

  it('R-WO-10 a shift pattern is read in the business time zone (Saturday 08:00–16:00 Shanghai)', () => {
    const p = person({ shifts });
    expect(availabilityAt(p, at('2026-11-28T08:00'), calendar).available).toBe(true);
    expect(availabilityAt(p, new Date('2026-11-28T07:59:00Z'), calendar).available).toBe(true); // 15:59 local
    expect(availabilityAt(p, at('2026-11-28T16:00'), calendar).reason).toBe('OFF_SHIFT');
    expect(availabilityAt(p, at('2026-11-29T23:30'), calendar).available).toBe(true);
    expect(availabilityAt(p, at('2026-11-30T10:00'), calendar).reason).toBe('OFF_SHIFT');
  });

  it('R-WO-10 leave covers its start and not its end', () => {
    const leave = [
      { id: 'l1', startsAt: at('2026-11-30T08:30'), endsAt: at('2026-12-01T08:30'), kind: 'SICK' },
    ];
    const p = person({ leave });
    expect(availabilityAt(p, at('2026-11-30T08:30'), calendar)).toMatchObject({
      available: false,
      reason: 'ON_LEAVE',
      leave: leave[0],
    });
    expect(availabilityAt(p, at('2026-12-01T08:30'), calendar).available).toBe(true);
  });

  it('R-WO-10 refuses bad shifts and leave', () => {
    expect(
      errorOf(() => parseShiftPattern([{ weekday: 8, start: '08:00', end: '09:00' }])),
    ).toMatchObject({ field: 'shifts.0.weekday', reason: 'OUT_OF_RANGE' });
    expect(
      errorOf(() => parseShiftPattern([{ weekday: 1, start: '8am', end: '09:00' }])),
    ).toMatchObject({ field: 'shifts.0.start', reason: 'INVALID_TIME' });
    expect(
      errorOf(() => parseShiftPattern([{ weekday: 1, start: '10:00', end: '09:00' }])),
    ).toMatchObject({ field: 'shifts.0.end', reason: 'OUT_OF_RANGE' });
    expect(
      errorOf(() =>
        parseShiftPattern([
          { weekday: 1, start: '08:00', end: '12:00' },
          { weekday: 1, start: '11:00', end: '13:00' },
        ]),
      ),
    ).toMatchObject({ field: 'shifts.1', reason: 'OVERLAP' });
    expect(
      errorOf(() =>
        parseLeave({ startsAt: '2026-12-02T00:00:00Z', endsAt: '2026-12-01T00:00:00Z' }),
      ),
    ).toMatchObject({ field: 'endsAt', reason: 'OUT_OF_RANGE' });
  });
});

describe('R-WO-10 dispatch refuses absent and unqualified technicians', () => {
  const base: Technician = {
    id: 'x',
    active: true,
    skills: [],
    region: null,
    qualifications: register,
    shifts: null,
    leave: [],
  };
  const target = {
    region: null,
    category: 'ELECTRICAL',
    productLine: 'EV-100',
    appointedAt: at('2026-11-30T10:00'),
    calendar,
  };
  const refusal = (t: Technician, over: object = {}) =>
    errorOf(() => planAssignment({ technicianIds: [t.id] }, [t], { ...target, ...over }));

  it('R-WO-10 on leave at the appointment: TECHNICIAN_ABSENT', () => {
    const onLeave = {
      ...base,
      leave: [
        {
          id: 'l',
          startsAt: at('2026-11-30T00:00'),
          endsAt: at('2026-12-01T00:00'),
          kind: 'ANNUAL',
        },
      ],
    };
    expect(refusal(onLeave)).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'technicianIds.0',
      reason: 'TECHNICIAN_ABSENT',
    });
    expect(refusal(onLeave).message).toContain('on leave');
  });

  it('R-WO-10 off shift at the appointment: TECHNICIAN_ABSENT', () => {
    expect(refusal(base, { appointedAt: at('2026-11-29T10:00') })).toMatchObject({
      reason: 'TECHNICIAN_ABSENT',
    });
  });

  it('R-WO-10 certificate expired at the appointment: CERTIFICATE_EXPIRED; another product line: NOT_QUALIFIED', () => {
    expect(refusal(base, { appointedAt: at('2027-01-04T10:00') })).toMatchObject({
      reason: 'CERTIFICATE_EXPIRED',
    });
    expect(refusal(base, { productLine: 'EV-200' })).toMatchObject({ reason: 'NOT_QUALIFIED' });
    expect(planAssignment({ technicianIds: ['x'] }, [base], target).warnings).toEqual([]);
  });

  it('R-WO-10 a supervisor override turns every refusal into a warning on record', () => {
    const plan = planAssignment(
      { technicianIds: ['x'], override: { reason: 'customer asked for him' } },
      [base],
      { ...target, appointedAt: at('2027-01-03T10:00') },
    );
    expect(plan.warnings.map((w) => w.code)).toEqual(['TECHNICIAN_ABSENT', 'CERTIFICATE_EXPIRED']);
    expect(plan.overrideReason).toBe('customer asked for him');
  });
});
