// The KPI computation on hand-made events: no NATS, no database. Period 2026-03-02 in Asia/Shanghai
// (UTC+8): 2026-03-01T16:00Z … 2026-03-02T16:00Z.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { businessDate, foldEvents, groupsOf, kpis, report } from '../src/kpis.mjs';

const PERIOD = { from: '2026-03-02', to: '2026-03-02', timeZone: 'Asia/Shanghai' };
const NOW = new Date('2026-03-20T00:00:00Z');
let n = 0;
const uuid = () => `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`;
const ev = (type, time, data) => ({ id: uuid(), type, time, data });

const HZ = { province: 'Zhejiang', city: 'Hangzhou', district: null };
const SH = { province: 'Shanghai', city: 'Shanghai', district: null };

/** The events of one work order's life; `at` gives each step's instant (omit a step to skip it). */
function order(id, { region = HZ, station = 'HZ-01', techs = ['t1'], type = 'WARRANTY', at, due }) {
  const facts = (status) => ({
    workOrderId: id,
    number: `WO-${id.slice(-4)}`,
    status,
    customerId: 'c0000000-0000-7000-8000-000000000001',
    assetId: null,
    serviceType: type,
    category: 'ELECTRICAL',
    region,
    technicianIds: status === 'REGISTERED' ? [] : techs,
    leadTechnicianId: null,
    calledAt: at.called,
    stationCode: station,
  });
  const out = [
    ev('workorder.registered', at.called, {
      ...facts('REGISTERED'),
      answerDueAt: due?.answer ?? null,
      arrivalDueAt: due?.arrival ?? null,
      onSiteDueAt: due?.onSite ?? null,
    }),
  ];
  if (at.dispatched)
    out.push(
      ev('workorder.dispatched', at.dispatched, {
        ...facts('DISPATCHED'),
        dispatchedAt: at.dispatched,
      }),
    );
  if (at.arrived)
    out.push(ev('workorder.arrived', at.arrived, { ...facts('ON_SITE'), arrivedAt: at.arrived }));
  if (at.completed)
    out.push(
      ev('workorder.completed', at.completed, {
        ...facts('RESOLVED_ON_SITE'),
        completedAt: at.completed,
      }),
    );
  if (at.cancelled)
    out.push(
      ev('workorder.cancelled', at.cancelled, { ...facts('CANCELLED'), cancelledAt: at.cancelled }),
    );
  return out;
}

const DUE = { answer: '2026-03-02T10:00:00Z', arrival: '2026-03-02T08:00:00Z', onSite: null };

describe('service timeliness', () => {
  const events = [
    // Met: answered and arrived before the deadlines.
    ...order('w-met', {
      at: {
        called: '2026-03-02T01:00:00Z',
        dispatched: '2026-03-02T02:00:00Z',
        arrived: '2026-03-02T05:00:00Z',
      },
      due: DUE,
    }),
    // Missed: arrived late.
    ...order('w-late', {
      at: {
        called: '2026-03-02T01:00:00Z',
        dispatched: '2026-03-02T02:00:00Z',
        arrived: '2026-03-02T09:00:00Z',
      },
      due: DUE,
    }),
    // Missed: never arrived and the deadline has passed by `now`.
    ...order('w-unmet', {
      at: { called: '2026-03-02T01:00:00Z', dispatched: '2026-03-02T02:00:00Z' },
      due: DUE,
    }),
    // No SLA (internal), cancelled, and called the next business day (16:30Z is 00:30 local on 03-03).
    ...order('w-internal', { type: 'INTERNAL', at: { called: '2026-03-02T01:00:00Z' } }),
    ...order('w-cancelled', {
      at: { called: '2026-03-02T01:00:00Z', cancelled: '2026-03-02T01:30:00Z' },
      due: DUE,
    }),
    ...order('w-next-day', { at: { called: '2026-03-02T16:30:00Z' }, due: DUE }),
  ];

  test('met, missed and not counted, by the business date of the call', () => {
    const t = kpis(foldEvents(events), { ...PERIOD, now: NOW }).serviceTimeliness;
    assert.deepEqual(
      { ...t, target: undefined, meetsTarget: undefined },
      {
        workOrders: 3,
        met: 1,
        missed: 2,
        pending: 0,
        rate: 1 / 3,
        target: undefined,
        meetsTarget: undefined,
      },
    );
    assert.equal(t.meetsTarget, false);
  });

  test('an open deadline not yet due is pending, left out of the rate', () => {
    // 06:00Z: the unmet arrival (due 08:00Z) is still open; the late one was replayed as late.
    const t = kpis(foldEvents(events), {
      ...PERIOD,
      now: new Date('2026-03-02T06:00:00Z'),
    }).serviceTimeliness;
    assert.deepEqual([t.met, t.missed, t.pending, t.rate], [1, 1, 1, 0.5]);
  });

  test('an answer recorded before dispatch counts from the answeredAt its next event carries', () => {
    // Answered at 03:00Z (due 10:00Z), dispatched late at 11:00Z, arrived in time for no deadline.
    const due = { answer: '2026-03-02T10:00:00Z', arrival: null, onSite: null };
    const [registered, dispatched] = order('w-answered', {
      at: { called: '2026-03-02T01:00:00Z', dispatched: '2026-03-02T11:00:00Z' },
      due,
    });
    const withAnswer = {
      ...dispatched,
      data: { ...dispatched.data, answeredAt: '2026-03-02T03:00:00Z' },
    };
    const t = (evs) => kpis(foldEvents(evs), { ...PERIOD, now: NOW }).serviceTimeliness;
    assert.deepEqual([t([registered, withAnswer]).met, t([registered, withAnswer]).missed], [1, 0]);
    // Without the field (events of before it existed) the dispatch is the answer: late.
    assert.deepEqual([t([registered, dispatched]).met, t([registered, dispatched]).missed], [0, 1]);
  });

  test('an order called at 00:30 local time belongs to that local day', () => {
    assert.equal(businessDate(Date.parse('2026-03-02T16:30:00Z'), 'Asia/Shanghai'), '2026-03-03');
    const t = kpis(foldEvents(events), {
      from: '2026-03-03',
      to: '2026-03-03',
      now: NOW,
    }).serviceTimeliness;
    assert.equal(t.workOrders, 1);
  });
});

const C = '2026-03-02T03:00:00Z';
const done = (id, opts = {}) =>
  order(id, {
    ...opts,
    at: {
      called: '2026-03-02T01:00:00Z',
      dispatched: '2026-03-02T01:10:00Z',
      arrived: '2026-03-02T02:00:00Z',
      completed: C,
    },
    due: DUE,
  });

function complaint(
  id,
  workOrderId,
  {
    category = 'SERVICE_ATTITUDE',
    received = '2026-03-02T04:00:00Z',
    about = [],
    closed,
    valid = true,
    investigation,
  } = {},
) {
  const base = {
    complaintId: id,
    number: `CP-${id}`,
    customerId: null,
    workOrderId,
    category,
    channel: 'PHONE',
  };
  const out = [
    ev('complaint.registered', received, {
      ...base,
      majorReasons: [],
      repeatOfComplaintId: null,
      aboutStaffIds: about,
      receivedAt: received,
      recordedBy: 'agent',
    }),
  ];
  if (investigation)
    out.push(
      ev('complaint.progressed', received, {
        ...base,
        action: 'investigate',
        fromStatus: 'ASSIGNED',
        toStatus: 'INVESTIGATED',
        actorId: 'cr',
        handlerId: 'cr',
        department: 'service',
        at: received,
        investigation,
      }),
    );
  if (closed)
    out.push(
      ev('complaint.closed', closed, {
        ...base,
        valid,
        satisfaction: null,
        receivedAt: received,
        closedAt: closed,
      }),
    );
  return out;
}

describe('complaint rate and closure', () => {
  const events = [
    ...done('w-a', { techs: ['t1'] }),
    ...done('w-b', { techs: ['t2'], region: SH, station: 'SH-01' }),
    ...done('w-c', { techs: ['t1', 't2'] }),
    ...done('w-d'),
    // Service-caused by category, closed within 7 days.
    ...complaint('k1', 'w-a', { closed: '2026-03-05T00:00:00Z' }),
    // Product quality, but the investigation found the service responsible (t2); closed late.
    ...complaint('k2', 'w-b', {
      category: 'PRODUCT_QUALITY',
      investigation: { serviceCaused: true, responsibleStaffIds: ['t2'] },
      closed: '2026-03-12T00:00:00Z',
    }),
    // Invalid: never service-caused; closed at once.
    ...complaint('k3', 'w-c', { closed: '2026-03-02T05:00:00Z', valid: false }),
    // Open past its 7 days; about t1 by name; on no work order.
    ...complaint('k4', null, { category: 'REPAIR_QUALITY', about: ['t1'] }),
  ];
  const facts = foldEvents(events);

  test('organisation-wide', () => {
    const k = kpis(facts, { ...PERIOD, now: NOW });
    assert.deepEqual(
      [
        k.complaintRate.serviceCausedComplaints,
        k.complaintRate.completedWorkOrders,
        k.complaintRate.rate,
      ],
      [3, 4, 0.75],
    );
    const c = k.complaintClosure;
    assert.deepEqual(
      [c.complaints, c.due, c.closedWithinDeadline, c.closedLate, c.openOverdue, c.pending],
      [4, 4, 2, 1, 1, 0],
    );
    assert.equal(c.rate, 0.5);
  });

  test('a reclassified complaint counts by its category after the step', () => {
    const [registered] = complaint('k9', 'w-d', { category: 'SUGGESTION' });
    const classified = ev('complaint.progressed', '2026-03-02T05:00:00Z', {
      ...registered.data,
      action: 'classify',
      fromStatus: 'RECORDED',
      toStatus: 'CLASSIFIED',
      actorId: 'cr',
      handlerId: null,
      department: null,
      at: '2026-03-02T05:00:00Z',
      category: 'REPAIR_QUALITY',
      investigation: null,
    });
    const rate = (evs) =>
      kpis(foldEvents([...events, ...evs]), { ...PERIOD, now: NOW }).complaintRate;
    assert.equal(rate([registered]).serviceCausedComplaints, 3);
    assert.equal(rate([registered, classified]).serviceCausedComplaints, 4);
  });

  test('an open complaint within its days is pending', () => {
    const c = kpis(facts, { ...PERIOD, now: new Date('2026-03-04T00:00:00Z') }).complaintClosure;
    assert.deepEqual([c.due, c.openOverdue, c.pending], [3, 0, 1]);
  });

  test('a region leaves out complaints without a completed work order', () => {
    const k = kpis(facts, { ...PERIOD, now: NOW, scope: { province: 'Zhejiang' } });
    assert.deepEqual(
      [
        k.complaintRate.serviceCausedComplaints,
        k.complaintRate.completedWorkOrders,
        k.complaintClosure.complaints,
      ],
      [1, 3, 2],
    );
  });

  test('a technician: complaints naming them, else those on their work order', () => {
    const t1 = kpis(facts, { ...PERIOD, now: NOW, scope: { technicianId: 't1' } });
    // k1 (w-a is t1's), k3 (w-c, invalid) and k4 (names t1); not k2 (names t2).
    assert.deepEqual(
      [
        t1.complaintClosure.complaints,
        t1.complaintRate.serviceCausedComplaints,
        t1.complaintRate.completedWorkOrders,
      ],
      [3, 2, 3],
    );
    const t2 = kpis(facts, { ...PERIOD, now: NOW, scope: { technicianId: 't2' } });
    assert.deepEqual(
      [t2.complaintClosure.complaints, t2.complaintRate.serviceCausedComplaints],
      [2, 1],
    );
  });

  test('a station: of the completed work order', () => {
    const k = kpis(facts, { ...PERIOD, now: NOW, scope: { stationCode: 'sh-01' } });
    assert.deepEqual(
      [k.complaintRate.serviceCausedComplaints, k.complaintRate.completedWorkOrders],
      [1, 1],
    );
  });
});

describe('satisfaction and follow-up rate', () => {
  const answered = (workOrderId, levels, kind = 'WORK_ORDER') =>
    ev('survey.answered', '2026-03-05T00:00:00Z', {
      surveyId: uuid(),
      kind,
      workOrderId,
      complaintId: null,
      customerId: null,
      technicianIds: [],
      answers: levels.map((level, i) => ({ item: `i${i}`, level })),
      suggestions: null,
      answeredVia: 'AGENT',
      answeredAt: '2026-03-05T00:00:00Z',
    });
  const called = (workOrderId, followedUp) =>
    ev('survey.follow_up_called', '2026-03-06T00:00:00Z', {
      followUpId: uuid(),
      callId: uuid(),
      workOrderId,
      customerId: null,
      sequence: 1,
      outcome: followedUp ? 'REACHED' : 'NO_ANSWER',
      followedUp,
      agentId: 'a',
      calledAt: '2026-03-06T00:00:00Z',
    });
  const events = [
    ...done('s-a', { techs: ['t1'] }),
    ...done('s-b', { techs: ['t2'], station: 'HZ-02' }),
    ...done('s-paid', { type: 'PAID' }),
    answered('s-a', ['VERY_SATISFIED', 'SATISFIED', 'SATISFIED', 'SATISFIED']),
    answered('s-b', ['DISSATISFIED', 'SATISFIED', 'VERY_DISSATISFIED', 'DISSATISFIED']),
    // A complaint-handling survey is not part of the work-order satisfaction.
    answered('s-a', ['VERY_DISSATISFIED'], 'COMPLAINT_HANDLING'),
    called('s-a', false),
    called('s-a', true),
    called('s-b', false),
    called('s-paid', true),
  ];
  const facts = foldEvents(events);

  test('every rated item is one answer; warranty orders followed up once a call reached the customer', () => {
    const k = kpis(facts, { ...PERIOD, now: NOW });
    assert.deepEqual(
      [
        k.satisfaction.answers,
        k.satisfaction.satisfied,
        k.satisfaction.rate,
        k.satisfaction.satisfiedSurveys,
      ],
      [8, 5, 5 / 8, 1],
    );
    assert.deepEqual(
      [k.followUpRate.workOrders, k.followUpRate.followedUp, k.followUpRate.rate],
      [2, 1, 0.5],
    );
  });

  test('by the business date of completion, per station', () => {
    assert.equal(
      kpis(facts, { from: '2026-03-05', to: '2026-03-31', now: NOW }).satisfaction.answers,
      0,
    );
    const k = kpis(facts, { ...PERIOD, now: NOW, scope: { stationCode: 'HZ-02' } });
    assert.deepEqual(
      [
        k.satisfaction.answers,
        k.satisfaction.satisfied,
        k.followUpRate.workOrders,
        k.followUpRate.followedUp,
      ],
      [4, 1, 1, 0],
    );
  });
});

describe('parts issue accuracy', () => {
  const issued = (documentId, workOrderId, warehouseCode, time) =>
    ev('inventory.parts_issued', time, {
      requisitionId: uuid(),
      workOrderId,
      warehouseCode,
      documentId,
      lines: [{ partCode: 'P1', quantity: 1 }],
    });
  const events = [
    ...done('p-a', { techs: ['t1'] }),
    ...done('p-b', { techs: ['t2'], station: 'HZ-02' }),
    issued('d1', 'p-a', 'CENTRAL', '2026-03-02T02:00:00Z'),
    issued('d2', 'p-a', 'CENTRAL', '2026-03-02T02:10:00Z'),
    issued('d3', 'p-b', 'HZ-02', '2026-03-02T02:20:00Z'),
    issued('d4', 'p-b', 'HZ-02', '2026-03-03T02:20:00Z'),
    // Found wrong weeks later: still this period's issue.
    ev('inventory.wrong_part_corrected', '2026-03-19T00:00:00Z', {
      correctionId: uuid(),
      issueId: 'd3',
      warehouseCode: 'HZ-02',
      wrongPartCode: 'P1',
      rightPartCode: 'P2',
      quantity: 1,
      correctedBy: 'w',
      at: '2026-03-19T00:00:00Z',
    }),
  ];
  const facts = foldEvents(events);

  test('an issue is wrong when a correction names it, whenever made', () => {
    const a = kpis(facts, { ...PERIOD, now: NOW }).partsIssueAccuracy;
    assert.deepEqual(
      [a.issues, a.correct, a.wrong, a.accuracy, a.meetsTarget],
      [3, 2, 1, 2 / 3, false],
    );
  });

  test('per warehouse, and per station or technician through the work order', () => {
    assert.equal(
      kpis(facts, { ...PERIOD, now: NOW, scope: { warehouseCode: 'central' } }).partsIssueAccuracy
        .accuracy,
      1,
    );
    assert.deepEqual(
      ['HZ-01', 'HZ-02'].map(
        (s) =>
          kpis(facts, { ...PERIOD, now: NOW, scope: { stationCode: s } }).partsIssueAccuracy.issues,
      ),
      [2, 1],
    );
    assert.equal(
      kpis(facts, { ...PERIOD, now: NOW, scope: { technicianId: 't2' } }).partsIssueAccuracy.wrong,
      1,
    );
  });
});

describe('the report', () => {
  const events = [
    ...done('r-a', { techs: ['t1'] }),
    ...done('r-b', { techs: ['t2'], region: SH, station: 'SH-01' }),
  ];

  test('breaks the figures down by region, station or technician', () => {
    const facts = foldEvents(events);
    assert.deepEqual(groupsOf(facts, 'station'), [
      { stationCode: 'HZ-01' },
      { stationCode: 'SH-01' },
    ]);
    assert.deepEqual(groupsOf(facts, 'region'), [
      { province: 'Shanghai', city: 'Shanghai' },
      { province: 'Zhejiang', city: 'Hangzhou' },
    ]);
    const r = report(events, { ...PERIOD, now: NOW, by: 'technician' });
    assert.deepEqual(
      r.by.map((l) => [l.scope.technicianId, l.kpis.serviceTimeliness.met]),
      [
        ['t1', 1],
        ['t2', 1],
      ],
    );
    assert.equal(r.kpis.serviceTimeliness.met, 2);
  });

  test('events arriving out of order give the same figures', () => {
    const forward = report(events, { ...PERIOD, now: NOW });
    const backward = report([...events].reverse(), { ...PERIOD, now: NOW });
    assert.deepEqual(backward, forward);
  });
});
