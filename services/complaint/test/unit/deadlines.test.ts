import { BusinessCalendar } from '@aftercare/calendar';
import {
  ComplaintMatter,
  DEFAULT_MAJOR_RULES,
  complaintDeadlines,
  escalationDueAt,
  findRepeatComplaint,
  majorReasons,
  overdueKinds,
} from '../../src/domain';
import { CUSTOMER, RECEIVED, errorOf, id, newComplaint } from './helpers';

const calendar = new BusinessCalendar();
const local = (wallClock: string) => calendar.fromLocal(wallClock);
const ms = (at: Date, delta: number) => new Date(at.getTime() + delta);

describe('complaint deadlines', () => {
  it('R-CO-2 a solution is due 1 working day after assignment', () => {
    const tuesday = { ...newComplaint(), assignedAt: local('2026-11-24T10:00') };
    expect(complaintDeadlines(tuesday, { calendar, major: false }).solutionDueAt).toEqual(
      local('2026-11-25T10:00'),
    );
    // Friday afternoon: the working day runs over the weekend.
    const friday = { ...newComplaint(), assignedAt: local('2026-11-27T16:00') };
    expect(complaintDeadlines(friday, { calendar, major: false }).solutionDueAt).toEqual(
      local('2026-11-30T16:00'),
    );
    expect(complaintDeadlines(newComplaint(), { calendar, major: false }).solutionDueAt).toBeNull();
  });

  it('R-CO-3 closure is due 7 calendar days after receipt, escalation of a major one 24 h after', () => {
    expect(complaintDeadlines(newComplaint(), { calendar, major: true })).toEqual({
      solutionDueAt: null,
      closureDueAt: new Date('2026-12-01T02:00:00Z'),
      escalationDueAt: new Date('2026-11-25T02:00:00Z'),
    });
    expect(
      complaintDeadlines(newComplaint(), { calendar, major: false }).escalationDueAt,
    ).toBeNull();
    expect(
      escalationDueAt(RECEIVED, { solutionWorkingDays: 1, closureDays: 7, escalationHours: 12 }),
    ).toEqual(new Date('2026-11-24T14:00:00Z'));
  });

  describe('overdueKinds', () => {
    const assigned = { ...newComplaint(), assignedAt: local('2026-11-24T10:00') };
    const solutionDue = local('2026-11-25T10:00');
    const closureDue = new Date('2026-12-01T02:00:00Z');

    it('R-CO-3 nothing is overdue before the deadlines', () => {
      expect(overdueKinds(assigned, solutionDue, { calendar, major: true })).toEqual([]);
    });

    it('R-CO-2 a solution still missing after its deadline, or proposed late, is overdue', () => {
      expect(overdueKinds(assigned, ms(solutionDue, 1), { calendar, major: false })).toEqual([
        'SOLUTION',
      ]);
      const onTime = { ...assigned, firstSolutionAt: solutionDue };
      expect(overdueKinds(onTime, ms(closureDue, -1), { calendar, major: false })).toEqual([]);
      const late = { ...assigned, firstSolutionAt: ms(solutionDue, 60_000) };
      expect(overdueKinds(late, ms(solutionDue, 120_000), { calendar, major: false })).toEqual([
        'SOLUTION',
      ]);
    });

    it('R-CO-3 a complaint not closed within 7 days is overdue; closing in time meets it', () => {
      const proposed = { ...assigned, firstSolutionAt: solutionDue };
      expect(overdueKinds(proposed, ms(closureDue, 1), { calendar, major: false })).toEqual([
        'CLOSURE',
      ]);
      const closed = { ...proposed, closedAt: closureDue };
      expect(overdueKinds(closed, ms(closureDue, 86_400_000), { calendar, major: false })).toEqual(
        [],
      );
      const lateClose = { ...proposed, closedAt: ms(closureDue, 1) };
      expect(overdueKinds(lateClose, ms(closureDue, 2), { calendar, major: false })).toEqual([
        'CLOSURE',
      ]);
    });

    it('R-CO-3 a major complaint not escalated within 24 h is overdue', () => {
      const c = newComplaint();
      const due = new Date('2026-11-25T02:00:00Z');
      expect(overdueKinds(c, ms(due, 1), { calendar, major: true })).toEqual(['ESCALATION']);
      expect(overdueKinds(c, ms(due, 1), { calendar, major: false })).toEqual([]);
      const escalated = { ...c, escalatedAt: due };
      expect(overdueKinds(escalated, ms(due, 1), { calendar, major: true })).toEqual([]);
    });

    it('R-CO-3 a complaint judged major after receipt has 24 h from then to be escalated', () => {
      const c = newComplaint(); // received 2026-11-24T02:00Z
      const judged = new Date('2026-11-27T02:00:00Z');
      const late = { ...c, majorSince: judged };
      expect(complaintDeadlines(late, { calendar, major: true }).escalationDueAt).toEqual(
        new Date('2026-11-28T02:00:00Z'),
      );
      expect(overdueKinds(late, ms(judged, 60 * 60_000), { calendar, major: true })).toEqual([]);
      expect(
        overdueKinds(late, new Date('2026-11-28T02:00:01Z'), { calendar, major: true }),
      ).toEqual(['ESCALATION']);
    });

    it('R-CO-3 all breaches at once, and a custom policy', () => {
      const late = ms(closureDue, 1);
      expect(overdueKinds(assigned, late, { calendar, major: true })).toEqual([
        'SOLUTION',
        'CLOSURE',
        'ESCALATION',
      ]);
      // With 14 days to close, the same moment breaches only the other two.
      const policy = { solutionWorkingDays: 2, closureDays: 14, escalationHours: 48 };
      expect(overdueKinds(assigned, late, { calendar, major: true, policy })).toEqual([
        'SOLUTION',
        'ESCALATION',
      ]);
    });
  });
});

describe('major complaints', () => {
  const earlier = (overrides: Partial<ComplaintMatter> = {}): ComplaintMatter => ({
    id: id(50),
    customerId: CUSTOMER,
    category: 'SERVICE_ATTITUDE',
    workOrderId: id(500),
    receivedAt: new Date(RECEIVED.getTime() - 30 * 86_400_000),
    ...overrides,
  });

  it('R-CO-3 an ordinary complaint is not major', () => {
    expect(majorReasons(newComplaint(), [])).toEqual([]);
  });

  it.each([
    [{ channel: 'MANUFACTURER' }, ['CHANNEL_MANUFACTURER']],
    [{ channel: 'MEDIA' }, ['CHANNEL_MEDIA']],
    [{ demands: ['RETURN', 'APOLOGY'] }, ['DEMAND_RETURN']],
    [{ demands: ['EXCHANGE'] }, ['DEMAND_EXCHANGE']],
    [{ highImpact: true }, ['HIGH_IMPACT']],
    [{ disturbance: true }, ['DISTURBANCE']],
    [
      { channel: 'MEDIA', demands: ['RETURN', 'EXCHANGE'], highImpact: true, disturbance: true },
      ['CHANNEL_MEDIA', 'DEMAND_RETURN', 'DEMAND_EXCHANGE', 'HIGH_IMPACT', 'DISTURBANCE'],
    ],
  ])('R-CO-3 %j makes it major for %j', (overrides, reasons) => {
    expect(majorReasons(newComplaint(overrides), [])).toEqual(reasons);
  });

  it('R-CO-3 a repeat complaint by the same customer on the same matter is major', () => {
    expect(majorReasons(newComplaint(), [earlier()])).toEqual(['REPEAT']);
  });

  it('R-CO-3 the rules are data', () => {
    const rules = { ...DEFAULT_MAJOR_RULES, channels: [], demands: ['COMPENSATION' as const] };
    expect(
      majorReasons(newComplaint({ channel: 'MEDIA', demands: ['COMPENSATION'] }), [], rules),
    ).toEqual(['DEMAND_COMPENSATION']);
    expect(majorReasons(newComplaint(), [earlier()], { ...rules, repeatWindowDays: null })).toEqual(
      [],
    );
    expect(
      majorReasons(newComplaint({ highImpact: true, disturbance: true }), [], {
        ...rules,
        highImpact: false,
        disturbance: false,
      }),
    ).toEqual([]);
  });

  describe('findRepeatComplaint', () => {
    const subject = newComplaint();

    it('R-CO-3 matches customer, category and work order within 90 days, the latest first', () => {
      const older = earlier({
        id: id(51),
        receivedAt: new Date(RECEIVED.getTime() - 60 * 86_400_000),
      });
      expect(findRepeatComplaint(subject, [older, earlier()])).toEqual(earlier());
      const edge = earlier({ receivedAt: new Date(RECEIVED.getTime() - 90 * 86_400_000) });
      expect(findRepeatComplaint(subject, [edge])).toEqual(edge);
    });

    it.each([
      ['another customer', { customerId: id(101) }],
      ['another category', { category: 'TRANSPORT' as const }],
      ['another work order', { workOrderId: id(501) }],
      ['older than the window', { receivedAt: new Date(RECEIVED.getTime() - 91 * 86_400_000) }],
      ['received later', { receivedAt: new Date(RECEIVED.getTime() + 1) }],
      ['the complaint itself', { id: subject.id }],
    ])('R-CO-3 is no repeat: %s', (_, overrides) => {
      expect(findRepeatComplaint(subject, [earlier(overrides)])).toBeNull();
    });

    it('R-CO-3 without a work order on either side customer and category decide', () => {
      expect(findRepeatComplaint(subject, [earlier({ workOrderId: null })])).not.toBeNull();
      expect(findRepeatComplaint({ ...subject, workOrderId: null }, [earlier()])).not.toBeNull();
    });

    it('R-CO-3 takes a window setting in whole days', () => {
      expect(findRepeatComplaint(subject, [earlier()], 29)).toBeNull();
      expect(errorOf(() => findRepeatComplaint(subject, [], 0)).reason).toBe('OUT_OF_RANGE');
    });
  });
});
