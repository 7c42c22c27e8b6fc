import { BusinessCalendar } from '@aftercare/calendar';
import {
  Assignment,
  EMPTY_QUALIFICATIONS,
  BoardEntry,
  DispatchTarget,
  Technician,
  WORK_ORDER_STATUSES,
  boardOrder,
  planAssignment,
  planReassignment,
} from '../../src/domain';
import { errorOf } from './helpers';

const hangzhou = { province: 'Zhejiang', city: 'Hangzhou' };
const onRoster = { qualifications: EMPTY_QUALIFICATIONS, shifts: null, leave: [] };
const technicians: Technician[] = [
  { id: 't1', active: true, skills: ['ELECTRICAL'], region: hangzhou },
  { id: 't2', active: true, skills: ['ELECTRICAL', 'BODY'], region: hangzhou },
  { id: 't3', active: true, skills: ['BODY'], region: { province: 'Zhejiang', city: 'Ningbo' } },
  { id: 'gone', active: false, skills: ['ELECTRICAL'], region: hangzhou },
  { id: 'roamer', active: true, skills: ['ELECTRICAL'], region: null },
  {
    id: 't4',
    active: true,
    skills: ['ELECTRICAL'],
    region: { province: 'Zhejiang', city: 'Ningbo' },
  },
].map((t) => ({ ...t, ...onRoster }));
const calendar = new BusinessCalendar();
const target: DispatchTarget = {
  region: { ...hangzhou, district: 'Xihu' },
  category: 'ELECTRICAL',
  productLine: null,
  // A Monday, 10:00 in the business time zone: working time.
  appointedAt: calendar.fromLocal('2026-11-30T10:00'),
  calendar,
};

describe('dispatch', () => {
  it('R-WO-4 one technician leads alone', () => {
    expect(planAssignment({ technicianIds: ['t1'] }, technicians, target)).toEqual({
      assignment: { technicianIds: ['t1'], leadTechnicianId: 't1' },
      warnings: [],
      overrideReason: null,
    });
    expect(
      planAssignment({ technicianIds: ['roamer'], leadTechnicianId: 'roamer' }, technicians, target)
        .assignment.leadTechnicianId,
    ).toBe('roamer');
  });

  it('R-WO-4 two or more need a lead who is one of them', () => {
    expect(
      planAssignment({ technicianIds: ['t1', 't2'], leadTechnicianId: 't2' }, technicians, target)
        .assignment,
    ).toEqual({ technicianIds: ['t1', 't2'], leadTechnicianId: 't2' });
    expect(
      errorOf(() => planAssignment({ technicianIds: ['t1', 't2'] }, technicians, target)),
    ).toMatchObject({
      field: 'leadTechnicianId',
      reason: 'LEAD_REQUIRED',
    });
    expect(
      errorOf(() =>
        planAssignment(
          { technicianIds: ['t1', 't2'], leadTechnicianId: 'roamer' },
          technicians,
          target,
        ),
      ),
    ).toMatchObject({ field: 'leadTechnicianId', reason: 'LEAD_NOT_ASSIGNED' });
    expect(
      errorOf(() =>
        planAssignment({ technicianIds: ['t1'], leadTechnicianId: 't2' }, technicians, target),
      ),
    ).toMatchObject({ reason: 'LEAD_NOT_ASSIGNED' });
  });

  it.each([
    [[], 'technicianIds', 'REQUIRED'],
    [['t1', 't2', 't1'], 'technicianIds.2', 'DUPLICATE_TECHNICIAN'],
    [['t1', 'nobody'], 'technicianIds.1', 'UNKNOWN_TECHNICIAN'],
    [['gone'], 'technicianIds.0', 'TECHNICIAN_INACTIVE'],
    [Array.from({ length: 11 }, (_, i) => `x${i}`), 'technicianIds', 'TOO_MANY'],
  ])('R-WO-4 refuses technicians %j (%s %s)', (ids, field, reason) => {
    expect(
      errorOf(() =>
        planAssignment({ technicianIds: ids, leadTechnicianId: ids[0] }, technicians, target),
      ),
    ).toMatchObject({ code: 'INVALID_ARGUMENT', field, reason });
  });

  it('R-WO-4 a technician from another region is a warning', () => {
    const plan = planAssignment(
      { technicianIds: ['t1', 't4'], leadTechnicianId: 't1' },
      technicians,
      target,
    );
    expect(plan.warnings.map((w) => [w.technicianId, w.code])).toEqual([['t4', 'OUTSIDE_REGION']]);
    expect(plan.warnings[0]?.message).toContain('Ningbo');
    expect(plan.overrideReason).toBeNull();
  });

  it('R-WO-10 a technician without the skill is refused NOT_QUALIFIED; a supervisor may override with a reason', () => {
    expect(
      errorOf(() =>
        planAssignment(
          { technicianIds: ['t1', 't3'], leadTechnicianId: 't1' },
          technicians,
          target,
        ),
      ),
    ).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'technicianIds.1',
      reason: 'NOT_QUALIFIED',
    });
    const plan = planAssignment(
      {
        technicianIds: ['t1', 't3'],
        leadTechnicianId: 't1',
        override: { reason: ' only one free ' },
      },
      technicians,
      target,
    );
    expect(plan.warnings.map((w) => [w.technicianId, w.code])).toEqual([
      ['t3', 'NOT_QUALIFIED'],
      ['t3', 'OUTSIDE_REGION'],
    ]);
    expect(plan.overrideReason).toBe('only one free');
    expect(
      errorOf(() =>
        planAssignment({ technicianIds: ['t3'], override: { reason: ' ' } }, technicians, target),
      ),
    ).toMatchObject({ field: 'override.reason', reason: 'REQUIRED' });
  });

  describe('reassignment', () => {
    const current: Assignment = { technicianIds: ['t1'], leadTechnicianId: 't1' };

    it('R-WO-4 swaps technicians while DISPATCHED or EN_ROUTE, with a reason', () => {
      for (const status of ['DISPATCHED', 'EN_ROUTE'] as const) {
        const plan = planReassignment(
          status,
          current,
          { technicianIds: ['t2'], reason: ' t1 is sick ' },
          technicians,
          target,
        );
        expect(plan.assignment).toEqual({ technicianIds: ['t2'], leadTechnicianId: 't2' });
        expect(plan.reason).toBe('t1 is sick');
      }
    });

    it('R-WO-4 refuses reassignment in other statuses', () => {
      for (const status of WORK_ORDER_STATUSES.filter(
        (s) => s !== 'DISPATCHED' && s !== 'EN_ROUTE',
      )) {
        expect(
          errorOf(() =>
            planReassignment(
              status,
              current,
              { technicianIds: ['t2'], reason: 'r' },
              technicians,
              target,
            ),
          ),
        ).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'NOT_REASSIGNABLE' });
      }
    });

    it('R-WO-4 refuses a reassignment without a reason or without a change', () => {
      expect(
        errorOf(() =>
          planReassignment('DISPATCHED', current, { technicianIds: ['t2'] }, technicians, target),
        ),
      ).toMatchObject({ field: 'reason', reason: 'REQUIRED' });
      expect(
        errorOf(() =>
          planReassignment(
            'DISPATCHED',
            current,
            { technicianIds: ['t1'], reason: 'r' },
            technicians,
            target,
          ),
        ),
      ).toMatchObject({ reason: 'ASSIGNMENT_UNCHANGED' });
      const pair: Assignment = { technicianIds: ['t1', 't2'], leadTechnicianId: 't1' };
      expect(
        planReassignment(
          'EN_ROUTE',
          pair,
          { technicianIds: ['t2', 't1'], leadTechnicianId: 't2', reason: 't2 knows the site' },
          technicians,
          target,
        ).assignment.leadTechnicianId,
      ).toBe('t2');
    });
  });

  describe('board', () => {
    const calendar = new BusinessCalendar();
    const at = (local: string) => calendar.fromLocal(local);
    const entry = (
      id: string,
      status: BoardEntry['status'],
      called: string,
      due: string | null,
    ): BoardEntry => ({
      id,
      status,
      calledAt: at(called),
      dueAt: due ? at(due) : null,
    });
    const orders = [
      entry('today-late-deadline', 'REGISTERED', '2026-11-24T09:00', '2026-11-24T16:00'),
      entry('today-early-deadline', 'DISPATCHED', '2026-11-24T08:40', '2026-11-24T11:00'),
      entry('yesterday-undispatched', 'REGISTERED', '2026-11-23T17:00', '2026-11-24T14:30'),
      entry('yesterday-dispatched', 'EN_ROUTE', '2026-11-23T10:00', '2026-11-24T12:00'),
      entry('last-night', 'REGISTERED', '2026-11-23T22:00', '2026-11-24T17:00'),
      entry('no-deadline', 'ON_SITE', '2026-11-24T08:35', null),
      entry('done', 'CLOSED', '2026-11-20T10:00', '2026-11-20T12:00'),
      entry('cancelled', 'CANCELLED', '2026-11-20T10:00', null),
    ];

    it('R-WO-4 requests not dispatched by end of day are first in the next day’s queue, then by deadline', () => {
      const rows = boardOrder(orders, at('2026-11-24T11:30'), calendar);
      expect(rows.map((r) => r.order.id)).toEqual([
        'yesterday-undispatched',
        'last-night',
        'today-early-deadline',
        'yesterday-dispatched',
        'today-late-deadline',
        'no-deadline',
      ]);
      expect(rows.filter((r) => r.carriedOver).map((r) => r.order.id)).toEqual([
        'yesterday-undispatched',
        'last-night',
      ]);
      expect(rows.filter((r) => r.overdue).map((r) => r.order.id)).toEqual([
        'today-early-deadline',
      ]);
    });

    it('R-WO-4 on a weekend the board is Monday’s: Saturday calls already queue as carried over', () => {
      const saturdayCall = entry('saturday', 'REGISTERED', '2026-11-28T10:00', '2026-11-30T14:30');
      const [row] = boardOrder([saturdayCall], at('2026-11-28T12:00'), calendar);
      expect(row).toMatchObject({ carriedOver: true, overdue: false });
    });
  });
});
