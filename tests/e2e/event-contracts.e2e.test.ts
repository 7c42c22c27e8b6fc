import { events } from '@aftercare/events';
import { uuidv7 } from '@aftercare/kit';
import { contractViolations } from './support/contracts';

// The check every e2e system runs on what its services published (harness `stop()`): here,
// that it tells a producer's broken event from a good one, by the published schemas alone.
const completed = {
  specversion: '1.0',
  id: uuidv7(),
  source: 'workorder',
  type: events.workorder.closed.type,
  time: '2026-11-24T09:00:00.000Z',
  subject: '0193a6f2-7c1d-7a10-8e44-5b2f3c1d9e08',
  datacontenttype: 'application/json',
  dataschema: 'docs/events/schemas/workorder.closed.v1.json',
  dataversion: '1',
  data: {
    workOrderId: '0193a6f2-7c1d-7a10-8e44-5b2f3c1d9e08',
    number: 'WO-1',
    status: 'CLOSED',
    customerId: null,
    assetId: null,
    serviceType: 'PAID',
    category: 'ENGINE',
    region: { province: 'Hebei', city: 'Baoding', district: null },
    technicianIds: ['tech-a'],
    leadTechnicianId: 'tech-a',
    calledAt: '2026-11-24T08:00:00.000Z',
    stationCode: null,
    closedAt: '2026-11-24T09:00:00.000Z',
  },
};

describe('published event contracts, as the e2e harness checks them', () => {
  it('accept an event that matches its schema', () => {
    expect(contractViolations([completed])).toEqual([]);
  });

  it('name an event whose data breaks its schema', () => {
    const broken = { ...completed, data: { ...completed.data, serviceType: 'FREE', closedAt: 1 } };
    const [problem, ...rest] = contractViolations([broken]);
    expect(rest).toEqual([]);
    expect(problem).toContain('data breaks workorder.closed.v1.json');
    expect(problem).toContain('/serviceType');
    expect(problem).toContain('/closedAt');
  });

  it('name a broken envelope and an undeclared event or version', () => {
    expect(contractViolations([{ ...completed, specversion: '0.3' }])[0]).toContain(
      'envelope breaks cloudevent.json',
    );
    expect(contractViolations([{ ...completed, dataversion: '2' }])).toEqual([
      `workorder.closed ${completed.id}: no published schema workorder.closed.v2.json`,
    ]);
    expect(contractViolations([{ ...completed, type: 'workorder.lost' }])[0]).toContain(
      'no published schema workorder.lost.v1.json',
    );
  });
});
