import {
  COMPLAINT_ACTION_TYPES,
  COMPLAINT_STATUSES,
  Complaint,
  ComplaintAction,
  ComplaintActionType,
  ComplaintStatus,
  DEFAULT_DEPARTMENT_ROUTING,
  addImprovementAction,
  allowedActions,
  completeImprovementAction,
  departmentFor,
  isFullyClosed,
  markEscalated,
  mayApprove,
  overdueImprovementActions,
  parseApprovalTiers,
  requiredApprovalRole,
  staffConcerned,
  transition,
} from '../../src/domain';
import {
  ACCUSED,
  HANDLER,
  NOW,
  OTHER_STAFF,
  PATH,
  REPORT,
  accused,
  admin,
  complaintIn,
  errorOf,
  id,
  manager,
  newComplaint,
  relations,
  technician,
} from './helpers';

/** The legal moves of R-CO-2, written out independently of the implementation's table. */
const LEGAL: [ComplaintStatus, ComplaintActionType, ComplaintStatus][] = [
  ['RECORDED', 'classify', 'CLASSIFIED'],
  ['RECORDED', 'invalidate', 'CLOSED_INVALID'],
  ['CLASSIFIED', 'assign', 'ASSIGNED'],
  ['ASSIGNED', 'investigate', 'INVESTIGATED'],
  ['INVESTIGATED', 'proposeSolution', 'SOLUTION_PROPOSED'],
  ['SOLUTION_PROPOSED', 'approveSolution', 'APPROVED'],
  ['SOLUTION_PROPOSED', 'rejectSolution', 'INVESTIGATED'],
  ['APPROVED', 'notifyCustomer', 'CUSTOMER_NOTIFIED'],
  ['CUSTOMER_NOTIFIED', 'close', 'CLOSED'],
];

/** A valid payload for every action type. */
const ACTION: Record<ComplaintActionType, ComplaintAction> = {
  ...(Object.fromEntries(PATH.map(([, a]) => [a.type, a])) as Record<
    ComplaintActionType,
    ComplaintAction
  >),
  invalidate: { type: 'invalidate', reason: 'The product was bought elsewhere' },
  rejectSolution: { type: 'rejectSolution', reason: 'Offer a replacement part instead' },
};

const legalTo = (from: ComplaintStatus, type: ComplaintActionType) =>
  LEGAL.find(([f, t]) => f === from && t === type)?.[2];
const at = (actor = admin, now = NOW) => ({ actor, now });

describe('complaint workflow', () => {
  const pairs = COMPLAINT_STATUSES.flatMap((from) =>
    COMPLAINT_ACTION_TYPES.map((type) => ({ from, type, to: legalTo(from, type) })),
  );

  it.each(pairs.filter((p) => p.to))('R-CO-2 $from --$type--> $to', ({ from, type, to }) => {
    expect(transition(complaintIn(from), ACTION[type], at()).status).toBe(to);
  });

  it.each(pairs.filter((p) => !p.to))(
    'R-CO-2 refuses $type from $from as ILLEGAL_TRANSITION',
    ({ from, type }) => {
      const e = errorOf(() => transition(complaintIn(from), ACTION[type], at()));
      expect([e.code, e.reason]).toEqual(['FAILED_PRECONDITION', 'ILLEGAL_TRANSITION']);
      expect(e.message).toContain(from);
    },
  );

  it.each(COMPLAINT_STATUSES)(
    'R-CO-2 allowedActions from %s lists exactly the legal moves',
    (s) => {
      expect(allowedActions(complaintIn(s))).toEqual(
        COMPLAINT_ACTION_TYPES.filter((t) => legalTo(s, t)),
      );
    },
  );

  it('R-CO-2 an invalid complaint is answered with the reason and closed', () => {
    const c = transition(newComplaint(), ACTION.invalidate, at(relations));
    expect(c).toMatchObject({
      status: 'CLOSED_INVALID',
      invalidReason: 'The product was bought elsewhere',
      closedAt: NOW,
    });
    const e = errorOf(() => transition(newComplaint(), { type: 'invalidate' }, at()));
    expect([e.field, e.reason]).toEqual(['reason', 'REQUIRED']);
  });

  it('R-CO-2 judging the nature may correct the category and mark the complaint high-impact', () => {
    const c = transition(
      newComplaint(),
      { type: 'classify', category: 'PRODUCT_QUALITY', highImpact: true },
      at(relations),
    );
    expect(c).toMatchObject({ category: 'PRODUCT_QUALITY', highImpact: true });
    const e = errorOf(() => transition(newComplaint(), { type: 'classify', category: 'X' }, at()));
    expect([e.field, e.reason]).toEqual(['category', 'INVALID_VALUE']);
  });

  describe('assignment', () => {
    it.each(Object.entries(DEFAULT_DEPARTMENT_ROUTING))(
      'R-CO-2 routes %s to %s by default',
      (category, department) => {
        const classified = complaintIn('CLASSIFIED', newComplaint({ category }));
        const c = transition(classified, ACTION.assign, at(relations, NOW));
        expect(c).toMatchObject({ department, handlerId: HANDLER, assignedAt: NOW });
      },
    );

    it('R-CO-2 the routing table is data', () => {
      const routing = { ...DEFAULT_DEPARTMENT_ROUTING, SERVICE_ATTITUDE: 'station_east' };
      const c = transition(complaintIn('CLASSIFIED'), ACTION.assign, { ...at(), routing });
      expect(c.department).toBe('station_east');
      expect(() => departmentFor('TRANSPORT', { ...routing, TRANSPORT: '' })).toThrow(
        expect.objectContaining({ reason: 'NO_ROUTE' }),
      );
    });

    it('R-CO-2 needs a handler', () => {
      const e = errorOf(() => transition(complaintIn('CLASSIFIED'), { type: 'assign' }, at()));
      expect([e.field, e.reason]).toEqual(['handlerId', 'REQUIRED']);
    });
  });

  describe('a complaint about a person is never handled by that person', () => {
    it.each(LEGAL)('R-CO-2 refuses %s --%s--> by the person complained about', (from, type) => {
      const e = errorOf(() => transition(complaintIn(from), ACTION[type], at(accused)));
      expect([e.code, e.reason]).toEqual(['PERMISSION_DENIED', 'SELF_HANDLING']);
    });

    it('R-CO-2 refuses them even as admin, and offers them no actions', () => {
      const boss = { userId: ACCUSED, roles: ['admin'] };
      const e = errorOf(() => transition(newComplaint(), ACTION.classify, at(boss)));
      expect(e.reason).toBe('SELF_HANDLING');
      for (const s of COMPLAINT_STATUSES)
        expect(allowedActions(complaintIn(s), at(boss))).toEqual([]);
    });

    it('R-CO-2 refuses to assign them as handler', () => {
      const e = errorOf(() =>
        transition(complaintIn('CLASSIFIED'), { type: 'assign', handlerId: ACCUSED }, at()),
      );
      expect([e.code, e.reason]).toEqual(['PERMISSION_DENIED', 'SELF_HANDLING']);
    });

    it('R-CO-2 persons the investigation finds responsible may not approve either', () => {
      const investigated = transition(
        complaintIn('ASSIGNED'),
        {
          type: 'investigate',
          report: {
            ...REPORT,
            responsibleStaffIds: [OTHER_STAFF],
          },
        },
        at(),
      );
      expect(staffConcerned(investigated)).toEqual([ACCUSED, OTHER_STAFF]);
      const proposed = transition(investigated, ACTION.proposeSolution, at());
      const them = { userId: OTHER_STAFF, roles: ['manager'] };
      expect(errorOf(() => transition(proposed, ACTION.approveSolution, at(them))).reason).toBe(
        'SELF_HANDLING',
      );
    });
  });

  describe('who may act', () => {
    it('R-CO-2 steering steps need customer relations or a manager', () => {
      const e = errorOf(() => transition(newComplaint(), ACTION.classify, at(technician)));
      expect([e.code, e.reason]).toEqual(['PERMISSION_DENIED', 'FORBIDDEN']);
      expect(transition(newComplaint(), ACTION.classify, at(manager)).status).toBe('CLASSIFIED');
    });

    it('R-CO-2 the assigned handler investigates and proposes whatever their role', () => {
      const handler = { userId: HANDLER, roles: ['technician'] };
      const investigated = transition(complaintIn('ASSIGNED'), ACTION.investigate, at(handler));
      expect(investigated.investigation).toMatchObject({ by: HANDLER, serviceCaused: true });
      expect(transition(investigated, ACTION.proposeSolution, at(handler)).solution).toMatchObject({
        proposedBy: HANDLER,
        compensationFen: 20_000,
      });
      const e = errorOf(() =>
        transition(complaintIn('ASSIGNED'), ACTION.investigate, at(technician)),
      );
      expect(e.reason).toBe('FORBIDDEN');
      expect(allowedActions(complaintIn('ASSIGNED'), at(handler))).toEqual(['investigate']);
      expect(allowedActions(complaintIn('ASSIGNED'), at(technician))).toEqual([]);
    });
  });

  describe('investigation and solution', () => {
    it('R-CO-2 the report needs cause, course, conclusion, countermeasure and the service finding', () => {
      for (const field of ['cause', 'course', 'conclusion', 'countermeasure', 'serviceCaused']) {
        const e = errorOf(() =>
          transition(
            complaintIn('ASSIGNED'),
            { type: 'investigate', report: { ...REPORT, [field]: null } },
            at(),
          ),
        );
        expect([e.field, e.reason]).toEqual([`report.${field}`, 'REQUIRED']);
      }
      const bad = { ...REPORT, responsibleStaffIds: ['  '] };
      expect(
        errorOf(() =>
          transition(complaintIn('ASSIGNED'), { type: 'investigate', report: bad }, at()),
        ).field,
      ).toBe('report.responsibleStaffIds.0');
    });

    it.each([
      [-1, 'OUT_OF_RANGE'],
      [10.5, 'NOT_AN_INTEGER'],
    ])('R-CO-2 compensation is whole fen, not %s', (compensationFen, reason) => {
      const e = errorOf(() =>
        transition(
          complaintIn('INVESTIGATED'),
          { type: 'proposeSolution', solution: 'Refund', compensationFen },
          at(),
        ),
      );
      expect([e.field, e.reason]).toEqual(['compensationFen', reason]);
    });

    it('R-CO-2 a rejected solution goes back to investigation with the reason; the first proposal time stays', () => {
      const proposed = complaintIn('SOLUTION_PROPOSED');
      const rejected = transition(proposed, ACTION.rejectSolution, at(manager, NOW));
      expect(rejected.status).toBe('INVESTIGATED');
      expect(rejected.rejections).toEqual([
        { by: manager.userId, at: NOW, reason: 'Offer a replacement part instead' },
      ]);
      const later = new Date(NOW.getTime() + 86_400_000);
      const again = transition(
        rejected,
        { type: 'proposeSolution', solution: 'Replacement part', compensationFen: 0 },
        at(relations, later),
      );
      expect(again.solution).toMatchObject({ text: 'Replacement part', proposedAt: later });
      expect(again.firstSolutionAt).toEqual(proposed.firstSolutionAt);
      expect(errorOf(() => transition(proposed, { type: 'rejectSolution' }, at())).field).toBe(
        'reason',
      );
    });
  });

  describe('approval by amount', () => {
    const proposing = (compensationFen: number) =>
      transition(
        complaintIn('INVESTIGATED'),
        { type: 'proposeSolution', solution: 'Compensation', compensationFen },
        at(),
      );

    it.each([
      [0, 'customer_relations'],
      [50_000, 'customer_relations'],
      [50_001, 'manager'],
      [500_000, 'manager'],
      [500_001, 'admin'],
    ])('R-CO-2 %i fen needs %s', (amount, role) => {
      expect(requiredApprovalRole(amount)).toBe(role);
      const approver = { userId: id(950), roles: [role] };
      const approved = transition(proposing(amount), ACTION.approveSolution, at(approver));
      expect(approved.approval).toEqual({ by: approver.userId, at: NOW, reason: null, role });
    });

    it('R-CO-2 refuses an approval beyond the actor authority, and a rejection too', () => {
      for (const type of ['approveSolution', 'rejectSolution'] as const) {
        const e = errorOf(() => transition(proposing(50_001), ACTION[type], at(relations)));
        expect([e.code, e.reason]).toEqual(['PERMISSION_DENIED', 'APPROVAL_AUTHORITY']);
        expect(e.message).toContain('manager');
      }
      expect(
        errorOf(() => transition(proposing(500_001), ACTION.approveSolution, at(manager))).reason,
      ).toBe('APPROVAL_AUTHORITY');
      expect(allowedActions(proposing(60_000), at(relations))).toEqual([]);
      expect(allowedActions(proposing(60_000), at(manager))).toEqual([
        'approveSolution',
        'rejectSolution',
      ]);
    });

    it('R-CO-2 the authority tiers are data', () => {
      const tiers = parseApprovalTiers([
        { maxFen: 10_000, role: 'customer_relations' },
        { maxFen: null, role: 'manager' },
      ]);
      expect(mayApprove(relations, 10_001, tiers)).toBe(false);
      expect(mayApprove(manager, 10_000_000, tiers)).toBe(true);
      const approved = transition(proposing(1_000_000), ACTION.approveSolution, {
        ...at(manager),
        approvalTiers: tiers,
      });
      expect(approved.approval?.role).toBe('manager');
      expect(requiredApprovalRole(1, [{ maxFen: 0, role: 'manager' }])).toBe('admin');
      expect(errorOf(() => parseApprovalTiers([])).reason).toBe('REQUIRED');
      expect(
        errorOf(() =>
          parseApprovalTiers([
            { maxFen: 1, role: 'a' },
            { maxFen: 1, role: 'b' },
          ]),
        ).field,
      ).toBe('approvalTiers.1.maxFen');
    });
  });

  describe('close and improvement actions', () => {
    const action = (n: number, dueDate = '2026-12-15') => ({
      id: id(700 + n),
      description: `Action ${n}`,
      ownerId: OTHER_STAFF,
      dueDate,
    });
    const closing = (improvementActions = [action(1), action(2)]) =>
      transition(
        complaintIn('CUSTOMER_NOTIFIED'),
        { type: 'close', satisfaction: 'PARTLY', improvementActions },
        at(relations),
      );

    it('R-CO-2 closes with the customer satisfaction', () => {
      expect(closing()).toMatchObject({ status: 'CLOSED', satisfaction: 'PARTLY', closedAt: NOW });
      const e = errorOf(() =>
        transition(complaintIn('CUSTOMER_NOTIFIED'), { type: 'close' }, at()),
      );
      expect([e.field, e.reason]).toEqual(['satisfaction', 'REQUIRED']);
      const bad = { type: 'close', satisfaction: 'HAPPY' } as const;
      expect(errorOf(() => transition(complaintIn('CUSTOMER_NOTIFIED'), bad, at())).reason).toBe(
        'INVALID_VALUE',
      );
    });

    it('R-CO-2 is fully closed once every improvement action is done', () => {
      let c = closing();
      expect(isFullyClosed(c)).toBe(false);
      c = completeImprovementAction(c, id(701), at(relations));
      expect(isFullyClosed(c)).toBe(false);
      const owner = { userId: OTHER_STAFF, roles: ['technician'] };
      c = completeImprovementAction(c, id(702), at(owner));
      expect(c.improvementActions.map((a) => a.doneAt)).toEqual([NOW, NOW]);
      expect(isFullyClosed(c)).toBe(true);
      c = addImprovementAction(c, action(3), at(manager));
      expect(isFullyClosed(c)).toBe(false);
    });

    it('R-CO-2 closed without actions, or answered as invalid, is fully closed; open is not', () => {
      expect(isFullyClosed(closing([]))).toBe(true);
      expect(isFullyClosed(complaintIn('CLOSED_INVALID'))).toBe(true);
      expect(isFullyClosed(complaintIn('CUSTOMER_NOTIFIED'))).toBe(false);
    });

    it('R-CO-2 tracks actions only after close, by owner or customer relations, once', () => {
      expect(
        errorOf(() => addImprovementAction(complaintIn('APPROVED'), action(1), at())).reason,
      ).toBe('NOT_CLOSED');
      expect(
        errorOf(() => completeImprovementAction(closing(), id(701), at(technician))).reason,
      ).toBe('FORBIDDEN');
      expect(errorOf(() => addImprovementAction(closing(), action(1), at(accused))).reason).toBe(
        'SELF_HANDLING',
      );
      expect(errorOf(() => addImprovementAction(closing(), action(3), at(technician))).reason).toBe(
        'FORBIDDEN',
      );
      const done = completeImprovementAction(closing(), id(701), at());
      expect(errorOf(() => completeImprovementAction(done, id(701), at())).reason).toBe(
        'ALREADY_DONE',
      );
      expect(errorOf(() => completeImprovementAction(done, id(799), at())).code).toBe('NOT_FOUND');
      expect(errorOf(() => addImprovementAction(done, action(1), at())).reason).toBe('DUPLICATE');
      expect(errorOf(() => addImprovementAction(done, action(4, '2026-02-30'), at())).field).toBe(
        'improvementActions.0.dueDate',
      );
    });

    it('R-CO-2 lists improvement actions past their due date', () => {
      const c = closing([action(1, '2026-12-01'), action(2, '2026-12-15')]);
      expect(overdueImprovementActions(c, '2026-12-01')).toEqual([]);
      expect(overdueImprovementActions(c, '2026-12-02').map((a) => a.id)).toEqual([id(701)]);
      const done = completeImprovementAction(c, id(701), at());
      expect(overdueImprovementActions(done, '2026-12-20').map((a) => a.id)).toEqual([id(702)]);
    });
  });

  it('R-CO-3 records the escalation to management once', () => {
    const c: Complaint = markEscalated(newComplaint(), NOW);
    expect(c.escalatedAt).toEqual(NOW);
    expect(errorOf(() => markEscalated(c, NOW)).reason).toBe('ALREADY_ESCALATED');
  });
});
