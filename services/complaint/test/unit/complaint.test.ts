import { COMPLAINT_CHANNELS, parseComplaint } from '../../src/domain';
import { ACCUSED, CUSTOMER, NOW, RECEIVED, errorOf, id, validInput } from './helpers';

const parse = (overrides: Parameters<typeof parseComplaint>[0] = {}) =>
  parseComplaint({ ...validInput(), ...overrides }, { now: NOW });

describe('parseComplaint', () => {
  it('R-CO-1 records complainant, customer, work order, asset, channel, category, content and demands', () => {
    expect(parse()).toEqual({
      complainant: { name: '王先生', phone: '13800138000' },
      customerId: CUSTOMER,
      workOrderId: id(500),
      assetId: id(600),
      channel: 'PHONE',
      category: 'SERVICE_ATTITUDE',
      content: 'The technician was rude and left without finishing.',
      demands: ['APOLOGY'],
      attachments: [{ ref: 's3://complaints/recording-1.mp3', name: 'call recording' }],
      aboutStaffIds: [ACCUSED],
      receivedAt: RECEIVED,
      highImpact: false,
      disturbance: false,
    });
  });

  it('R-CO-1 accepts every channel, including complaints heard in a follow-up call', () => {
    for (const channel of COMPLAINT_CHANNELS) expect(parse({ channel }).channel).toBe(channel);
  });

  it('R-CO-1 takes several demands, or none for a suggestion', () => {
    expect(parse({ demands: ['RETURN', 'COMPENSATION'] }).demands).toEqual([
      'RETURN',
      'COMPENSATION',
    ]);
    expect(parse({ category: 'SUGGESTION', demands: null }).demands).toEqual([]);
  });

  it('R-CO-1 leaves work order, asset, attachments and persons optional', () => {
    const c = parse({ workOrderId: null, assetId: '', attachments: null, aboutStaffIds: null });
    expect(c).toMatchObject({
      workOrderId: null,
      assetId: null,
      attachments: [],
      aboutStaffIds: [],
    });
  });

  it('R-CO-1 defaults the receipt time to now and refuses one in the future', () => {
    expect(parse({ receivedAt: null }).receivedAt).toEqual(NOW);
    expect(parse({ receivedAt: '2026-11-20T09:00:00+08:00' }).receivedAt).toEqual(
      new Date('2026-11-20T01:00:00Z'),
    );
    const e = errorOf(() => parse({ receivedAt: new Date(NOW.getTime() + 3_600_000) }));
    expect([e.field, e.reason]).toEqual(['receivedAt', 'IN_FUTURE']);
  });

  it('R-CO-1 keeps the high-impact and disturbance marks', () => {
    expect(parse({ highImpact: true, disturbance: true })).toMatchObject({
      highImpact: true,
      disturbance: true,
    });
  });

  it.each([
    [{ complainant: { name: ' ', phone: '13800138000' } }, 'complainant.name', 'REQUIRED'],
    [{ complainant: { name: 'Li', phone: '12345' } }, 'complainant.phone', 'INVALID_PHONE'],
    [{ complainant: null }, 'complainant.name', 'REQUIRED'],
    [{ customerId: 'C-1' }, 'customerId', 'INVALID_ID'],
    [{ workOrderId: 'WO-20261124-0042' }, 'workOrderId', 'INVALID_ID'],
    [{ assetId: 'VIN123' }, 'assetId', 'INVALID_ID'],
    [{ channel: 'FAX' }, 'channel', 'INVALID_VALUE'],
    [{ category: null }, 'category', 'REQUIRED'],
    [{ content: '' }, 'content', 'REQUIRED'],
    [{ content: 'x'.repeat(4001) }, 'content', 'TOO_LONG'],
    [{ demands: ['REFUND'] }, 'demands.0', 'INVALID_VALUE'],
    [{ demands: ['RETURN', 'RETURN'] }, 'demands.1', 'DUPLICATE'],
    [{ attachments: [{ ref: '' }] }, 'attachments.0.ref', 'REQUIRED'],
    [{ attachments: [{ ref: 'a' }, { ref: 'a' }] }, 'attachments.1', 'DUPLICATE'],
    [
      { attachments: Array.from({ length: 21 }, (_, i) => ({ ref: `f${i}` })) },
      'attachments',
      'TOO_MANY',
    ],
    [{ aboutStaffIds: [' '] }, 'aboutStaffIds.0', 'REQUIRED'],
    [{ aboutStaffIds: ['x'.repeat(65)] }, 'aboutStaffIds.0', 'TOO_LONG'],
    [{ aboutStaffIds: [ACCUSED, ACCUSED] }, 'aboutStaffIds.1', 'DUPLICATE'],
    [{ receivedAt: '2026-11-20 09:00' }, 'receivedAt', 'INVALID_DATE'],
  ])('R-CO-1 refuses %j', (overrides, field, reason) => {
    const e = errorOf(() => parse(overrides));
    expect([e.code, e.field, e.reason]).toEqual(['INVALID_ARGUMENT', field, reason]);
  });

  it('R-CO-1 names staff by their roster id and may not know the complainant phone', () => {
    const parsed = parse({ aboutStaffIds: ['zhang.wei'], complainant: { name: 'Li', phone: ' ' } });
    expect(parsed.aboutStaffIds).toEqual(['zhang.wei']);
    expect(parsed.complainant).toEqual({ name: 'Li', phone: null });
  });

  it('R-CO-1 accepts landlines with area code and +86 mobiles', () => {
    expect(parse({ complainant: { name: 'Li', phone: '(021) 6123-4567' } }).complainant.phone).toBe(
      '02161234567',
    );
    expect(
      parse({ complainant: { name: 'Li', phone: '+86 139 1234 5678' } }).complainant.phone,
    ).toBe('13912345678');
  });
});
