import { workOrderCompleted, workOrderSlaBreached } from '../src';

const facts = {
  workOrderId: '01a20ed2-f4ee-72f4-9671-f8b4f2400628',
  number: 'WO-20261124-0001',
  status: 'RESOLVED_ON_SITE',
  customerId: '01a20ed2-f4ee-72f4-9671-f8b4f2400629',
  assetId: null,
  serviceType: 'WARRANTY',
  category: 'ELECTRICAL',
  region: { province: 'Zhejiang', city: 'Hangzhou', district: null },
  technicianIds: ['tech-a'],
  leadTechnicianId: 'tech-a',
  calledAt: '2026-11-24T08:00:00.000Z',
  stationCode: 'HZ-01',
};

describe('work-order event contracts', () => {
  it('accepts a well-formed workorder.completed and refuses a malformed one', () => {
    const completed = {
      ...facts,
      completedAt: '2026-11-24T09:00:00.000Z',
      resolution: 'ON_SITE',
      partsReplaced: [{ code: 'BAT', name: 'battery', quantity: 1, reason: 'dead' }],
      oldPartsCollected: true,
      oldParts: [{ name: 'battery', quantity: 1 }],
      responsibility: 'PRODUCT',
      repeatOfWorkOrderId: null,
    };
    expect(workOrderCompleted.parse(completed)).toEqual(completed);
    expect(
      workOrderCompleted.safeParse({ ...completed, partsReplaced: [{ name: 'x', quantity: 0 }] })
        .success,
    ).toBe(false);
    expect(workOrderCompleted.safeParse({ ...completed, serviceType: 'FREE' }).success).toBe(false);
  });

  it('carries the service station; an event published before stations existed reads as none', () => {
    const completed = {
      ...facts,
      completedAt: '2026-11-24T09:00:00.000Z',
      resolution: 'ON_SITE',
      partsReplaced: [],
      oldPartsCollected: false,
      oldParts: [],
      responsibility: null,
      repeatOfWorkOrderId: null,
    };
    expect(workOrderCompleted.parse(completed).stationCode).toBe('HZ-01');
    expect(workOrderCompleted.parse({ ...completed, stationCode: null }).stationCode).toBeNull();
    const { stationCode: _omitted, ...before } = completed;
    expect(workOrderCompleted.parse(before).stationCode).toBeNull();
    expect(workOrderCompleted.safeParse({ ...completed, stationCode: 7 }).success).toBe(false);
  });

  it('requires the breached deadline kind and its due time', () => {
    const breach = {
      ...facts,
      kind: 'ARRIVAL',
      dueAt: '2026-11-24T05:00:00.000Z',
      metAt: null,
      detectedAt: '2026-11-24T06:00:00.000Z',
    };
    expect(workOrderSlaBreached.safeParse(breach).success).toBe(true);
    expect(workOrderSlaBreached.safeParse({ ...breach, kind: 'LUNCH' }).success).toBe(false);
    expect(workOrderSlaBreached.safeParse({ ...breach, dueAt: 'tomorrow' }).success).toBe(false);
  });
});
