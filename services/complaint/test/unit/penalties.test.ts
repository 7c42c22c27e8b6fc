import { BusinessCalendar } from '@aftercare/calendar';
import {
  Assessment,
  DEFAULT_PENALTY_RULES,
  LedgerEntry,
  PenaltyRule,
  StaffRef,
  allowedPenaltyActions,
  assessPenalty,
  countViolationsBefore,
  monthlyExport,
  parsePenaltyRule,
  penaltyCarrier,
  penaltyTransition,
  proposeEntry,
  uncorrectedRecounts,
} from '../../src/domain';
import { errorOf, id, manager, relations } from './helpers';

const calendar = new BusinessCalendar();
const ruleOf = (code: string): PenaltyRule => {
  const rule = DEFAULT_PENALTY_RULES.find((r) => r.code === code);
  if (!rule) throw new Error(`no default rule ${code}`);
  return rule;
};
const VIOLATION = ruleOf('VIOLATION');
const COMPLAINT = ruleOf('COMPLAINT_SUBSTANTIATED');
const ARCHIVE = ruleOf('ARCHIVE_HANDOVER_LATE');

const TECH = id(10);
const LEAD = id(11);
const staff: StaffRef = { id: TECH, role: 'technician', teamLeadId: LEAD };
const assess = (overrides: Partial<Parameters<typeof assessPenalty>[0]> = {}) =>
  assessPenalty({
    rule: VIOLATION,
    staff,
    culpritKnown: true,
    violationsThisMonth: 0,
    ...overrides,
  });

describe('penalty assessment', () => {
  /**
   * R-PN-2 seed figures: a violation costs 2 points, 1 point = 2 yuan = 200 fen, so 2 × 200 = 400 fen.
   * From the 5th violation in a month each costs 5 points: 5 × 200 = 1 000 fen. Earlier violations
   * are not re-priced; the month's total after six is 4 × 400 + 2 × 1 000 = 3 600 fen (36 yuan).
   */
  const MONTH: [number, number, number][] = [
    // nth violation, points, fine in fen
    [1, 2, 400],
    [2, 2, 400],
    [3, 2, 400],
    [4, 2, 400],
    [5, 5, 1000],
    [6, 5, 1000],
  ];

  it.each(MONTH)(
    'R-PN-2 violation no. %i in a month costs %i points, %i fen',
    (nth, points, fineFen) => {
      const a = assess({ violationsThisMonth: nth - 1 });
      expect(a).toMatchObject({
        staffId: TECH,
        points,
        fineFen,
        nthViolation: nth,
        kind: 'PENALTY',
      });
    },
  );

  it('R-PN-2 the month of six violations adds up to 3 600 fen', () => {
    const total = MONTH.reduce(
      (sum, [nth]) => sum + assess({ violationsThisMonth: nth - 1 }).fineFen,
      0,
    );
    expect(total).toBe(3600);
  });

  it('R-PN-2 explains the arithmetic', () => {
    expect(assess({ violationsThisMonth: 4 }).explanation).toEqual([
      'VIOLATION: violation no. 5 this month',
      '2 points',
      'from violation no. 5 in a month: 5 points',
      '5 × 2.00 yuan + fine 0.00 yuan = 10.00 yuan',
    ]);
  });

  it('R-PN-2 a rule worth more than the escalated points keeps its own', () => {
    const heavy = { ...VIOLATION, code: 'WEEKEND_6S', points: 10 };
    expect(assess({ rule: heavy, violationsThisMonth: 6 })).toMatchObject({
      points: 10,
      fineFen: 2000,
    });
  });

  /**
   * Archive handover rule: a fixed 50 yuan (5 000 fen), no points. A sales advisor pays double from
   * the 2nd violation in a month, a service advisor from the 3rd (seed 用户档案 rule 6).
   */
  it.each([
    ['sales_advisor', 1, 5000],
    ['sales_advisor', 2, 10000],
    ['sales_advisor', 3, 10000],
    ['service_advisor', 2, 5000],
    ['service_advisor', 3, 10000],
    ['technician', 6, 5000],
  ])('R-PN-2 a %s pays on violation no. %i: %i fen', (role, nth, fineFen) => {
    const a = assess({ rule: ARCHIVE, staff: { ...staff, role }, violationsThisMonth: nth - 1 });
    expect(a).toMatchObject({ points: 0, fineFen, nthViolation: nth });
  });

  it('R-PN-2 a repeated complaint on the same issue doubles points and fine', () => {
    expect(assess({ rule: COMPLAINT, repeatedComplaint: true })).toMatchObject({
      points: 4,
      fineFen: 800,
    });
    // 5th violation and repeated: 5 points doubled to 10, 1 000 fen doubled to 2 000.
    expect(
      assess({ rule: COMPLAINT, repeatedComplaint: true, violationsThisMonth: 4 }),
    ).toMatchObject({ points: 10, fineFen: 2000 });
    const e = errorOf(() => assess({ repeatedComplaint: true }));
    expect([e.field, e.reason]).toEqual(['repeatedComplaint', 'NOT_A_COMPLAINT']);
  });

  it('R-PN-2 role doubling and a repeated complaint multiply', () => {
    const rule = { ...COMPLAINT, doublingRoles: [{ role: 'technician', fromNthViolation: 2 }] };
    // 2 points doubled for the repeat = 4 points; 400 fen × 2 (role) × 2 (repeat) = 1 600 fen.
    expect(assess({ rule, repeatedComplaint: true, violationsThisMonth: 1 })).toMatchObject({
      points: 4,
      fineFen: 1600,
    });
  });

  it('R-PN-2 with no direct culprit the team lead carries it', () => {
    const a = assess({ culpritKnown: false, violationsThisMonth: 0 });
    expect(a).toMatchObject({ staffId: LEAD, points: 2, fineFen: 400 });
    expect(a.explanation).toContain('no direct culprit: the team lead carries it');
    expect(penaltyCarrier(staff, false)).toEqual({ staffId: LEAD, teamLead: true });
    const lone = { ...staff, teamLeadId: null };
    expect(errorOf(() => assess({ staff: lone, culpritKnown: false })).reason).toBe('NO_CARRIER');
  });

  it('R-PN-2 role doubling counts violations of the rule source only: a sales advisor first archive violation after an SLA breach is not doubled', () => {
    const advisor = { ...staff, role: 'sales_advisor' };
    const archive = { rule: ARCHIVE, staff: advisor, violationsThisMonth: 1 };
    expect(assess({ ...archive, sourceViolationsThisMonth: 0 }).fineFen).toBe(5000);
    expect(assess({ ...archive, sourceViolationsThisMonth: 1 }).fineFen).toBe(10000);
    // More of the source than in all is a caller error.
    expect(errorOf(() => assess({ ...archive, sourceViolationsThisMonth: 2 })).field).toBe(
      'sourceViolationsThisMonth',
    );
  });

  it('R-PN-2 role doubling follows the carrier: the lead position, not the culprit one', () => {
    const advisor = { ...staff, role: 'sales_advisor' };
    const byLead = { rule: ARCHIVE, staff: advisor, culpritKnown: false, violationsThisMonth: 1 };
    expect(assess(byLead).fineFen).toBe(5000);
    expect(assess({ ...byLead, teamLeadRole: 'sales_advisor' }).fineFen).toBe(10000);
  });

  it('R-PN-1 a tool loss charges the original price on top, never doubled', () => {
    const a = assess({ rule: ruleOf('TOOL_LOSS'), chargeFen: 35_000, violationsThisMonth: 4 });
    expect(a.fineFen).toBe(1000 + 35_000);
    expect(errorOf(() => assess({ chargeFen: -1 })).field).toBe('chargeFen');
  });

  it('R-PN-2 a reward goes to the named person with its bonus', () => {
    const a = assess({ rule: ruleOf('BEST_PERFORMER'), violationsThisMonth: 7 });
    expect(a).toMatchObject({
      kind: 'REWARD',
      staffId: TECH,
      points: 0,
      fineFen: 10000,
      nthViolation: null,
    });
    expect(
      errorOf(() => assess({ rule: ruleOf('BEST_PERFORMER'), culpritKnown: false })).reason,
    ).toBe('REQUIRED');
  });

  it('R-PN-2 refuses a negative or fractional count of earlier violations', () => {
    expect(errorOf(() => assess({ violationsThisMonth: -1 })).field).toBe('violationsThisMonth');
    expect(errorOf(() => assess({ violationsThisMonth: 1.5 })).reason).toBe('NOT_AN_INTEGER');
  });

  describe('uncorrectedRecounts', () => {
    const noted = calendar.fromLocal('2026-11-26T10:00'); // Thursday

    it('R-PN-2 a violation corrected within 1 working day counts once', () => {
      const deadline = calendar.fromLocal('2026-11-27T10:00');
      expect(uncorrectedRecounts(noted, deadline, deadline, calendar)).toEqual([]);
    });

    it('R-PN-2 each further working day without correction counts again', () => {
      const now = calendar.fromLocal('2026-12-01T11:00'); // Tuesday after
      expect(uncorrectedRecounts(noted, null, now, calendar)).toEqual([
        calendar.fromLocal('2026-11-27T10:00'),
        calendar.fromLocal('2026-11-30T10:00'),
        calendar.fromLocal('2026-12-01T10:00'),
      ]);
      const corrected = calendar.fromLocal('2026-11-30T09:00');
      expect(uncorrectedRecounts(noted, corrected, now, calendar)).toHaveLength(1);
    });
  });

  describe('parsePenaltyRule', () => {
    it('R-PN-1 a rule is data: code, description, points and/or fine, source', () => {
      expect(
        parsePenaltyRule({
          code: 'LATE_REPORT',
          description: 'Service report incomplete',
          points: 0,
          fineFen: 2000,
          source: 'INSPECTION',
          doublingRoles: [{ role: 'service_advisor', fromNthViolation: 3 }],
        }),
      ).toEqual({
        code: 'LATE_REPORT',
        description: 'Service report incomplete',
        kind: 'PENALTY',
        points: 0,
        fineFen: 2000,
        source: 'INSPECTION',
        doublingRoles: [{ role: 'service_advisor', fromNthViolation: 3 }],
      });
    });

    it.each([
      [{ code: 'late' }, 'rule.code', 'INVALID_VALUE'],
      [{ points: 0, fineFen: 0 }, 'rule.points', 'REQUIRED'],
      [{ points: 1.5 }, 'rule.points', 'NOT_AN_INTEGER'],
      [{ source: 'GOSSIP' }, 'rule.source', 'INVALID_VALUE'],
      [{ kind: 'BONUS' }, 'rule.kind', 'INVALID_VALUE'],
      [
        { doublingRoles: [{ role: 'x', fromNthViolation: 0 }] },
        'rule.doublingRoles.0.fromNthViolation',
        'OUT_OF_RANGE',
      ],
    ])('R-PN-1 refuses %j', (overrides, field, reason) => {
      const base = { code: 'X', description: 'd', points: 2, source: 'INSPECTION' };
      const e = errorOf(() => parsePenaltyRule({ ...base, ...overrides }));
      expect([e.field, e.reason]).toEqual([field, reason]);
    });

    it('R-PN-1 every default rule passes its own validation', () => {
      for (const rule of DEFAULT_PENALTY_RULES) expect(parsePenaltyRule(rule)).toEqual(rule);
    });
  });
});

describe('penalty ledger', () => {
  const OCCURRED = calendar.fromLocal('2026-11-10T10:00');
  const ctx = (actor = manager) => ({ actor, now: OCCURRED });
  const entry = (a: Assessment = assess(), n = 1, occurredAt = OCCURRED): LedgerEntry =>
    proposeEntry(id(800 + n), a, { occurredAt, reference: id(1), proposedBy: relations.userId });
  const self = { userId: TECH, roles: ['technician'] };

  it('R-PN-2 penalties are negative and rewards positive in the same ledger', () => {
    expect(entry()).toMatchObject({
      status: 'PROPOSED',
      points: -2,
      amountFen: -400,
      staffId: TECH,
    });
    expect(entry(assess({ rule: ruleOf('BEST_PERFORMER') }))).toMatchObject({
      kind: 'REWARD',
      points: 0,
      amountFen: 10000,
    });
    expect(Object.is(entry(assess({ rule: ARCHIVE })).points, 0)).toBe(true);
  });

  it('R-PN-3 proposed → confirmed tells the staff member', () => {
    const { entry: confirmed, notify } = penaltyTransition(entry(), { type: 'confirm' }, ctx());
    expect(confirmed).toMatchObject({
      status: 'CONFIRMED',
      confirmedAt: OCCURRED,
      decidedBy: manager.userId,
    });
    expect(notify).toEqual([TECH]);
  });

  it('R-PN-3 confirmed → appealed (by the staff member) → upheld or void, told either way', () => {
    const confirmed = penaltyTransition(entry(), { type: 'confirm' }, ctx()).entry;
    expect(
      errorOf(() => penaltyTransition(confirmed, { type: 'appeal', reason: 'x' }, ctx())).reason,
    ).toBe('FORBIDDEN');
    expect(errorOf(() => penaltyTransition(confirmed, { type: 'appeal' }, ctx(self))).field).toBe(
      'reason',
    );
    const appealed = penaltyTransition(
      confirmed,
      { type: 'appeal', reason: 'I was on leave' },
      ctx(self),
    );
    expect(appealed).toEqual({
      entry: { ...confirmed, status: 'APPEALED', appealReason: 'I was on leave' },
      notify: [],
    });
    const upheld = penaltyTransition(appealed.entry, { type: 'uphold' }, ctx());
    expect(upheld.entry.status).toBe('UPHELD');
    expect(upheld.notify).toEqual([TECH]);
    const voided = penaltyTransition(
      appealed.entry,
      { type: 'void', reason: 'Leave confirmed' },
      ctx(),
    );
    expect(voided.entry).toMatchObject({ status: 'VOID', decisionReason: 'Leave confirmed' });
    expect(voided.notify).toEqual([TECH]);
  });

  it('R-PN-3 a proposal may be voided with a reason before anyone is told', () => {
    const voided = penaltyTransition(entry(), { type: 'void', reason: 'Wrong person' }, ctx());
    expect(voided).toMatchObject({ entry: { status: 'VOID' }, notify: [] });
    expect(errorOf(() => penaltyTransition(entry(), { type: 'void' }, ctx())).field).toBe('reason');
  });

  it.each([
    ['PROPOSED', ['confirm', 'void']],
    ['CONFIRMED', ['appeal']],
    ['APPEALED', ['uphold', 'void']],
    ['UPHELD', []],
    ['VOID', []],
  ] as const)('R-PN-3 from %s only %j are legal', (status, legal) => {
    const e = { ...entry(), status };
    expect(allowedPenaltyActions(e)).toEqual(legal);
    for (const type of ['confirm', 'appeal', 'uphold', 'void'] as const) {
      if ((legal as readonly string[]).includes(type)) continue;
      const err = errorOf(() => penaltyTransition(e, { type, reason: 'r' }, ctx()));
      expect(err.reason).toBe('ILLEGAL_TRANSITION');
    }
  });

  it('R-PN-3 a manager decides, never about their own entry; a reward cannot be appealed', () => {
    expect(
      errorOf(() => penaltyTransition(entry(), { type: 'confirm' }, ctx(relations))).reason,
    ).toBe('FORBIDDEN');
    const ownBoss = { userId: TECH, roles: ['manager'] };
    expect(
      errorOf(() => penaltyTransition(entry(), { type: 'confirm' }, ctx(ownBoss))).reason,
    ).toBe('SELF_HANDLING');
    expect(allowedPenaltyActions(entry(), ownBoss)).toEqual([]);
    const reward = {
      ...entry(assess({ rule: ruleOf('BEST_PERFORMER') })),
      status: 'CONFIRMED' as const,
    };
    expect(allowedPenaltyActions(reward)).toEqual([]);
  });

  it('R-PN-2 counts the carrier earlier violations of the business month, voided ones aside', () => {
    const at = (wall: string) => calendar.fromLocal(wall);
    const ledger = [
      entry(assess(), 1, at('2026-11-01T00:30')), // November in Shanghai, still October in UTC
      entry(assess(), 2, at('2026-11-05T10:00')),
      { ...entry(assess(), 3, at('2026-11-06T10:00')), status: 'VOID' as const },
      entry(assess(), 4, at('2026-10-31T23:30')),
      entry(assess({ staff: { ...staff, id: id(12) } }), 5, at('2026-11-05T10:00')),
      entry(assess({ rule: ruleOf('BEST_PERFORMER') }), 6, at('2026-11-05T10:00')),
      entry(assess(), 7, at('2026-11-20T10:00')),
    ];
    expect(countViolationsBefore(ledger, TECH, at('2026-11-10T10:00'), calendar)).toBe(2);
    expect(
      countViolationsBefore(ledger, TECH, at('2026-11-10T10:00'), calendar, 'ARCHIVE_HANDOVER'),
    ).toBe(0);
    expect(
      countViolationsBefore(ledger, TECH, at('2026-11-10T10:00'), calendar, 'INSPECTION'),
    ).toBe(2);
  });

  it('R-PN-3 the monthly export sums payable entries per staff member in the business month', () => {
    const confirm = (e: LedgerEntry) => penaltyTransition(e, { type: 'confirm' }, ctx()).entry;
    const other = id(12);
    const ledger = [
      confirm(entry(assess(), 1)),
      confirm(entry(assess({ violationsThisMonth: 4 }), 2)),
      confirm(entry(assess({ rule: ruleOf('BEST_PERFORMER') }), 3)),
      entry(assess(), 4), // only proposed
      { ...confirm(entry(assess(), 5)), status: 'APPEALED' as const }, // undecided
      { ...confirm(entry(assess(), 6)), status: 'UPHELD' as const },
      confirm(entry(assess(), 7, calendar.fromLocal('2026-12-01T00:10'))), // December locally
      confirm(entry(assess({ staff: { ...staff, id: other } }), 8)),
    ];
    expect(monthlyExport(ledger, '2026-11', calendar)).toEqual([
      {
        staffId: TECH,
        penaltyPoints: 2 + 5 + 2,
        finesFen: 400 + 1000 + 400,
        rewardPoints: 0,
        rewardsFen: 10000,
        netPoints: -9,
        netFen: 10000 - 1800,
        entries: 4,
      },
      {
        staffId: other,
        penaltyPoints: 2,
        finesFen: 400,
        rewardPoints: 0,
        rewardsFen: 0,
        netPoints: -2,
        netFen: -400,
        entries: 1,
      },
    ]);
    expect(monthlyExport(ledger, '2026-12', calendar)).toHaveLength(1);
    expect(errorOf(() => monthlyExport(ledger, '2026-13', calendar)).reason).toBe('INVALID_MONTH');
  });
});
