import { BusinessCalendar } from '@aftercare/calendar';
import {
  act,
  EMPTY_QUALIFICATIONS,
  type ActContext,
  boardDueAt,
  DEFAULT_DISCOUNT_AUTHORITY,
  deadlinesOf,
  regionOf,
  type ServiceReportInput,
  slaStatus,
  type Technician,
  type WorkOrder,
  type WorkOrderMove,
} from '../../src/domain';
import { errorOf } from './helpers';

const calledAt = new Date('2026-11-24T01:00:00Z');
const now = new Date('2026-11-24T05:00:00Z');
const dispatcher = { userId: 'u-disp', roles: ['dispatcher' as const] };
const tech = { userId: 'tech-1', roles: ['technician' as const] };
const ctx = (over: Partial<ActContext> = {}): ActContext => ({
  now,
  actor: tech,
  discountAuthority: DEFAULT_DISCOUNT_AUTHORITY,
  calendar: new BusinessCalendar(),
  ...over,
});

const order = (over: Partial<WorkOrder> = {}): WorkOrder => ({
  id: '01930000-0000-7000-8000-000000000001',
  number: 'WO-20261124-0001',
  customerId: null,
  assetId: null,
  serviceType: 'WARRANTY',
  category: 'ELECTRICAL',
  channel: 'PHONE',
  status: 'REGISTERED',
  province: 'Jiangsu',
  city: 'Nanjing',
  district: null,
  stationCode: 'NJ-1',
  productLine: null,
  calledAt,
  answerDueAt: new Date('2026-11-25T01:00:00Z'),
  arrivalDueAt: new Date('2026-11-24T08:00:00Z'),
  onSiteDueAt: null,
  answeredAt: null,
  dispatchedAt: null,
  arrivedAt: null,
  completedAt: null,
  signedAt: null,
  closedAt: null,
  cancelledAt: null,
  cancelReason: null,
  technicianIds: [],
  leadTechnicianId: null,
  repeatOfId: null,
  report: null,
  signature: null,
  charges: null,
  goodsReceipt: null,
  goodsRegister: [],
  repairCard: null,
  ...over,
});

const technician = (id: string): Technician => ({
  id,
  active: true,
  skills: ['ELECTRICAL'],
  region: { province: 'Jiangsu', city: 'Nanjing' },
  qualifications: EMPTY_QUALIFICATIONS,
  shifts: null,
  leave: [],
});
const report: ServiceReportInput = {
  cause: 'worn contactor',
  responsibility: 'PRODUCT',
  workDone: 'replaced the contactor',
  partsReplaced: [{ name: 'contactor', quantity: 1, reason: 'worn' }],
};
const onSite = order({
  status: 'ON_SITE',
  technicianIds: ['tech-1'],
  leadTechnicianId: 'tech-1',
  answeredAt: calledAt,
  arrivedAt: now,
});
const run = (o: WorkOrder, move: WorkOrderMove, c = ctx()) => act(o, move, c);
const reasonOf = (o: WorkOrder, move: WorkOrderMove, c = ctx()) =>
  errorOf(() => act(o, move, c)).reason;

describe('the work-order aggregate', () => {
  it('R-WO-4 dispatch assigns, answers the call and announces the dispatch', () => {
    const r = run(
      order(),
      {
        type: 'dispatch',
        appointedAt: now,
        input: { technicianIds: ['tech-1'] },
        technicians: [technician('tech-1')],
      },
      ctx({ actor: dispatcher }),
    );
    expect(r.next).toMatchObject({
      status: 'DISPATCHED',
      technicianIds: ['tech-1'],
      leadTechnicianId: 'tech-1',
      dispatchedAt: now,
      answeredAt: now,
      completedAt: null,
    });
    expect(r.history).toEqual({
      action: 'dispatch',
      fromStatus: 'REGISTERED',
      toStatus: 'DISPATCHED',
      reason: null,
      details: {
        technicianIds: ['tech-1'],
        leadTechnicianId: 'tech-1',
        warnings: [],
        appointedAt: now.toISOString(),
      },
    });
    expect(r.events).toEqual([
      {
        event: 'dispatched',
        data: expect.objectContaining({
          workOrderId: order().id,
          status: 'DISPATCHED',
          dispatchedAt: now.toISOString(),
          answeredAt: now.toISOString(),
          region: { province: 'Jiangsu', city: 'Nanjing', district: null },
          warnings: [],
        }),
      },
    ]);
  });

  it('R-WO-4 dispatch keeps an earlier answer and passes on soft warnings', () => {
    const answeredAt = new Date('2026-11-24T02:00:00Z');
    const outside = { ...technician('tech-2'), region: { province: 'Zhejiang', city: 'Hangzhou' } };
    const r = run(order({ answeredAt }), {
      type: 'dispatch',
      appointedAt: now,
      input: { technicianIds: ['tech-2'] },
      technicians: [outside],
    });
    expect(r.next.answeredAt).toBe(answeredAt);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'OUTSIDE_REGION' })]);
    expect(r.history.details).toMatchObject({ warnings: r.warnings });
  });

  it('R-WO-4 reassignment keeps the status and records the previous team and the reason', () => {
    const dispatched = order({
      status: 'DISPATCHED',
      technicianIds: ['tech-1'],
      leadTechnicianId: 'tech-1',
    });
    const r = run(dispatched, {
      type: 'reassign',
      appointedAt: now,
      input: { technicianIds: ['tech-2'], reason: 'tech-1 is ill' },
      technicians: [technician('tech-2')],
    });
    expect(r.next).toMatchObject({ status: 'DISPATCHED', technicianIds: ['tech-2'] });
    expect(r.history).toMatchObject({
      action: 'reassign',
      fromStatus: 'DISPATCHED',
      toStatus: 'DISPATCHED',
      reason: 'tech-1 is ill',
      details: { previous: { technicianIds: ['tech-1'], leadTechnicianId: 'tech-1' } },
    });
    expect(r.events[0]).toMatchObject({
      event: 'dispatched',
      data: { reassigned: true, reason: 'tech-1 is ill', technicianIds: ['tech-2'] },
    });
    expect(
      reasonOf(order(), { type: 'reassign', appointedAt: now, input: {}, technicians: [] }),
    ).toBe('NOT_REASSIGNABLE');
  });

  it('changes the station with no event; answers once', () => {
    const r = run(order(), {
      type: 'changeStation',
      input: { stationCode: 'sz-2', reason: 'closer' },
    });
    expect(r.next.stationCode).toBe('SZ-2');
    expect(r.history).toMatchObject({
      reason: 'closer',
      details: { fromStationCode: 'NJ-1', stationCode: 'SZ-2' },
    });
    expect(r.events).toEqual([]);
    const answered = run(order(), { type: 'answer', note: 'called back' });
    expect(answered.next.answeredAt).toBe(now);
    expect(answered.history).toMatchObject({ action: 'answer', reason: 'called back' });
    const earlier = new Date('2026-11-24T02:00:00Z');
    expect(run(order({ answeredAt: earlier }), { type: 'answer' }).next.answeredAt).toBe(earlier);
  });

  it('R-WO-3 arriving stamps arrivedAt and tells when arrival was due', () => {
    const r = run(order({ status: 'EN_ROUTE' }), { type: 'arrive' });
    expect(r.next).toMatchObject({ status: 'ON_SITE', arrivedAt: now });
    expect(r.history).toMatchObject({
      action: 'arrive',
      fromStatus: 'EN_ROUTE',
      toStatus: 'ON_SITE',
    });
    expect(r.events).toEqual([
      {
        event: 'arrived',
        data: expect.objectContaining({
          arrivedAt: now.toISOString(),
          arrivalDueAt: '2026-11-24T08:00:00.000Z',
        }),
      },
    ]);
    expect(run(order({ status: 'DISPATCHED' }), { type: 'depart' }).events).toEqual([]);
  });

  it('R-WO-6 resolving on site completes the work: completedAt and workorder.completed', () => {
    const r = run(onSite, { type: 'resolveOnSite', report });
    expect(r.next).toMatchObject({ status: 'RESOLVED_ON_SITE', completedAt: now });
    expect(r.next.report?.cause).toBe('worn contactor');
    expect(r.history).toMatchObject({ action: 'resolveOnSite', toStatus: 'RESOLVED_ON_SITE' });
    expect(r.events).toEqual([
      {
        event: 'completed',
        data: expect.objectContaining({
          completedAt: now.toISOString(),
          resolution: 'ON_SITE',
          partsReplaced: [{ code: null, name: 'contactor', quantity: 1, reason: 'worn' }],
          responsibility: 'PRODUCT',
        }),
      },
    ]);
  });

  it('R-CU-7 workorder.completed carries the reading and asset work of the report when there is an asset', () => {
    const assetId = '0190a0b0-0000-7000-8000-0000000000a5';
    const r = run(
      { ...onSite, assetId },
      {
        type: 'resolveOnSite',
        report: {
          ...report,
          findings: { mileageKm: 15000, runningHours: null },
          assetWork: { maintenanceDone: true },
        },
      },
    );
    expect(r.events[0]!.data).toMatchObject({
      assetWork: {
        mileageKm: 15000,
        runningHours: null,
        maintenanceDone: true,
        commissioned: false,
        unitSwaps: [],
      },
    });
    const noAsset = run(onSite, { type: 'resolveOnSite', report });
    expect(noAsset.events[0]!.data).not.toHaveProperty('assetWork');
  });

  it('R-WO-5 a take-back runs through the workshop and completes on return', () => {
    const taken = run(onSite, {
      type: 'takeBack',
      items: [{ description: 'controller' }],
      receiptNumber: 'GR-20261124-0001',
    });
    expect(taken.next).toMatchObject({
      status: 'TAKEN_BACK',
      goodsReceipt: { number: 'GR-20261124-0001', issuedAt: now },
      repairCard: { hours: [], parts: [] },
      completedAt: null,
    });
    expect(taken.history.details).toEqual({ receiptNumber: 'GR-20261124-0001' });

    const workshop = { userId: 'ws-1', roles: ['workshop' as const] };
    const later = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
    const received = run(
      taken.next,
      { type: 'receiveInWorkshop' },
      ctx({ actor: workshop, now: later(1) }),
    );
    expect(received.next.goodsRegister).toEqual([
      expect.objectContaining({ direction: 'IN', handledBy: 'ws-1', at: later(1) }),
    ]);

    const worked = run(
      received.next,
      {
        type: 'repairCard',
        work: {
          hours: { hours: 2, date: '2026-11-24', description: 'rewired' },
          part: { name: 'relay', quantity: 1, reason: 'burnt' },
        },
      },
      ctx({ actor: workshop, now: later(2) }),
    );
    expect(worked.next.repairCard).toMatchObject({
      hours: [expect.objectContaining({ technicianId: 'ws-1', hours: 2 })],
      parts: [expect.objectContaining({ name: 'relay' })],
    });
    expect(worked.history).toMatchObject({
      action: 'repairCard',
      fromStatus: 'IN_WORKSHOP',
      toStatus: 'IN_WORKSHOP',
    });

    const { partsReplaced: _none, ...withoutParts } = report;
    const repaired = run(
      worked.next,
      { type: 'finishRepair', report: withoutParts },
      ctx({ now: later(3) }),
    );
    expect(repaired.next.report?.partsReplaced).toEqual([
      expect.objectContaining({ name: 'relay' }),
    ]);
    expect(repaired.next.completedAt).toBeNull();
    expect(repaired.events).toEqual([]);

    const returned = run(
      repaired.next,
      { type: 'returnToCustomer' },
      ctx({ actor: workshop, now: later(4) }),
    );
    expect(returned.next).toMatchObject({
      status: 'RETURNED',
      completedAt: later(4),
      goodsReceipt: { voidedAt: later(4) },
    });
    expect(returned.next.goodsRegister.map((e) => e.direction)).toEqual(['IN', 'OUT']);
    expect(returned.events).toEqual([
      {
        event: 'completed',
        data: expect.objectContaining({
          resolution: 'TAKE_BACK',
          completedAt: later(4).toISOString(),
        }),
      },
    ]);
  });

  it('R-WO-6 signing, closing and cancelling stamp their time and announce it', () => {
    const done = run(onSite, { type: 'resolveOnSite', report }).next;
    const signedAt = new Date(now.getTime() + 60_000);
    const signed = run(
      done,
      { type: 'sign', input: { signerName: 'Li Lei' } },
      ctx({ now: signedAt }),
    );
    expect(signed.next).toMatchObject({ status: 'SIGNED', signedAt, completedAt: now });
    expect(signed.events).toEqual([
      {
        event: 'signed',
        data: expect.objectContaining({ signedAt: signedAt.toISOString(), signerName: 'Li Lei' }),
      },
    ]);
    const closed = run(signed.next, { type: 'close' }, ctx({ actor: dispatcher }));
    expect(closed.next).toMatchObject({ status: 'CLOSED', closedAt: now });
    expect(closed.events[0]).toMatchObject({
      event: 'closed',
      data: { closedAt: now.toISOString() },
    });

    const cancelled = run(order(), { type: 'cancel', reason: '  withdrawn  ' });
    expect(cancelled.next).toMatchObject({
      status: 'CANCELLED',
      cancelledAt: now,
      cancelReason: 'withdrawn',
    });
    expect(cancelled.history).toMatchObject({ action: 'cancel', reason: 'withdrawn' });
    expect(cancelled.events[0]).toMatchObject({
      event: 'cancelled',
      data: { reason: 'withdrawn' },
    });
  });

  it('R-WO-7 charges a paid job and approves a discount beyond the authority', () => {
    const paid: WorkOrder = { ...onSite, serviceType: 'PAID' };
    const charged = run(paid, {
      type: 'charges',
      input: { labourFen: 10_000, discount: { kind: 'PERCENT', percent: 50 } },
    });
    expect(charged.next.charges).toMatchObject({
      discountStatus: 'PENDING_APPROVAL',
      requestedBy: 'tech-1',
    });
    expect(charged.history).toMatchObject({ action: 'charges', details: charged.next.charges });
    const manager = { userId: 'boss', roles: ['manager' as const] };
    const approved = run(charged.next, { type: 'approveDiscount' }, ctx({ actor: manager }));
    expect(approved.next.charges).toMatchObject({ discountStatus: 'APPROVED', approvedBy: 'boss' });
    expect(approved.history.details).toEqual({ discountFen: 5_000 });
    expect(approved.events).toEqual([]);
  });

  it('refuses moves with their reasons and leaves the order untouched', () => {
    const registered = order();
    expect(reasonOf(registered, { type: 'arrive' })).toBe('ILLEGAL_TRANSITION');
    expect(
      reasonOf(registered, {
        type: 'takeBack',
        items: [{ description: 'x' }],
        receiptNumber: 'GR-1',
      }),
    ).toBe('ILLEGAL_TRANSITION');
    expect(reasonOf(onSite, { type: 'sign', input: { signerName: 'Li' } })).toBe(
      'SIGNATURE_BEFORE_COMPLETION',
    );
    expect(reasonOf(registered, { type: 'cancel', reason: ' ' })).toBe('REQUIRED');
    expect(reasonOf(onSite, { type: 'repairCard', work: {} })).toBe('NOT_IN_WORKSHOP');
    expect(reasonOf(onSite, { type: 'charges', input: { labourFen: 1 } })).toBe('NOT_PAID_SERVICE');
    expect(reasonOf(onSite, { type: 'approveDiscount' })).toBe('NO_PENDING_DISCOUNT');
    expect(
      reasonOf(registered, {
        type: 'dispatch',
        appointedAt: now,
        input: { technicianIds: [] },
        technicians: [],
      }),
    ).toBe('REQUIRED');
    const paidUnsettled = run(
      { ...onSite, serviceType: 'PAID' },
      { type: 'charges', input: { labourFen: 10_000, discount: { kind: 'PERCENT', percent: 50 } } },
    ).next;
    const done = run(paidUnsettled, { type: 'resolveOnSite', report }).next;
    expect(reasonOf(done, { type: 'sign', input: { signerName: 'Li' } })).toBe(
      'DISCOUNT_PENDING_APPROVAL',
    );
    expect(registered).toEqual(order());
  });
});

describe('work-order SLA view', () => {
  it('R-WO-3 reads the deadlines and the region off the order', () => {
    expect(regionOf(order())).toEqual({ province: 'Jiangsu', city: 'Nanjing', district: null });
    expect(regionOf(order({ city: null }))).toBeNull();
    expect(deadlinesOf(order())).toEqual({
      answerDueAt: new Date('2026-11-25T01:00:00Z'),
      arrivalDueAt: new Date('2026-11-24T08:00:00Z'),
      onSiteDueAt: null,
    });
    expect(deadlinesOf(order({ answerDueAt: null }))).toBeNull();
  });

  it('R-WO-3 is breached once a deadline passes unmet; a cancelled order as of its cancellation', () => {
    const late = new Date('2026-11-24T09:00:00Z');
    expect(slaStatus(order(), now)).toMatchObject({
      nextDueAt: new Date('2026-11-24T08:00:00Z'),
      breached: false,
    });
    expect(slaStatus(order(), late).breached).toBe(true);
    expect(slaStatus(order({ status: 'CANCELLED', cancelledAt: now }), late).breached).toBe(false);
    expect(slaStatus(order({ answerDueAt: null, arrivalDueAt: null }), late)).toMatchObject({
      nextDueAt: null,
      breached: false,
    });
  });

  it('R-WO-4 the board counts an order without an SLA as due from its call until answered', () => {
    const noSla = order({ answerDueAt: null, arrivalDueAt: null });
    expect(boardDueAt(noSla)).toEqual(calledAt);
    expect(boardDueAt({ ...noSla, answeredAt: now })).toBeNull();
    expect(boardDueAt(order())).toEqual(new Date('2026-11-24T08:00:00Z'));
  });
});
