import { complaintClosed, inventoryToolLost, surveyDissatisfied } from '../src';

const id = (n: number) => `01a20ed2-f4ee-72f4-9671-f8b4f24006${String(n).padStart(2, '0')}`;

describe('cross-service event contracts', () => {
  it('inventory.tool_lost carries a charge in whole fen', () => {
    const charge = {
      loanId: id(1),
      toolCode: 'T-001',
      toolName: 'torque wrench',
      borrowerId: 'tech-a',
      lostCount: 1,
      damagedCount: 0,
      originalPriceFen: 12_000,
      damagedSharePercent: 100,
      amountFen: 12_000,
      at: '2026-11-24T09:00:00.000Z',
    };
    expect(inventoryToolLost.parse(charge)).toEqual(charge);
    expect(inventoryToolLost.safeParse({ ...charge, amountFen: 12.5 }).success).toBe(false);
  });

  it('survey.dissatisfied names why and what was said', () => {
    const event = {
      surveyId: id(2),
      followUpId: null,
      customerId: id(3),
      workOrderId: id(4),
      assetId: null,
      technicianIds: ['tech-a'],
      reason: 'LOW_SCORE',
      content: 'attitude: very dissatisfied',
      lowItems: [{ item: 'attitude', level: 1 }],
      recordedBy: 'agent-1',
      occurredAt: '2026-11-24T09:00:00.000Z',
    };
    expect(surveyDissatisfied.parse(event)).toEqual(event);
    expect(surveyDissatisfied.safeParse({ ...event, content: '' }).success).toBe(false);
    expect(surveyDissatisfied.safeParse({ ...event, reason: 'ANGRY' }).success).toBe(false);
  });

  it('complaint.closed says whether the complaint was valid', () => {
    const event = {
      complaintId: id(5),
      number: 'CP-20261124-0001',
      customerId: id(3),
      workOrderId: null,
      category: 'SERVICE_ATTITUDE',
      channel: 'PHONE',
      valid: true,
      satisfaction: 'SATISFIED',
      receivedAt: '2026-11-20T09:00:00.000Z',
      closedAt: '2026-11-24T09:00:00.000Z',
    };
    expect(complaintClosed.parse(event)).toEqual(event);
    expect(complaintClosed.safeParse({ ...event, valid: 'yes' }).success).toBe(false);
  });
});
