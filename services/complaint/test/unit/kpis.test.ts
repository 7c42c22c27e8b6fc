import { BusinessCalendar } from '@aftercare/calendar';
import { parseKpiScope } from '@aftercare/kernel';
import {
  type Complaint,
  type CompletedOrderFacts,
  complaintClosureKpi,
  complaintInScope,
  orderInScope,
  complaintRateKpi,
  periodRange,
} from '../../src/domain';
import { ACCUSED, errorOf, id, newComplaint } from './helpers';

const calendar = new BusinessCalendar();
const DAY = 86_400_000;
const RECEIVED = new Date('2026-11-02T02:00:00Z');
const NOW = new Date('2026-11-20T02:00:00Z');

const complaint = (n: number, overrides: Partial<Complaint> = {}): Complaint => ({
  ...newComplaint({}, n),
  receivedAt: RECEIVED,
  ...overrides,
});

describe('KPIs over any period (SPEC §6)', () => {
  it('KPI period: business dates, both inclusive, in the business time zone; from after to is refused', () => {
    const range = periodRange(parseKpiScope({ from: '2026-11-03', to: '2026-11-05' }), calendar);
    // Shanghai is UTC+8: 3 Nov 00:00 local … 6 Nov 00:00 local.
    expect(range.from.toISOString()).toBe('2026-11-02T16:00:00.000Z');
    expect(range.to.toISOString()).toBe('2026-11-05T16:00:00.000Z');
    const endOfYear = periodRange(
      parseKpiScope({ from: '2026-12-31', to: '2026-12-31' }),
      calendar,
    );
    expect(endOfYear.to.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(errorOf(() => parseKpiScope({ from: '2026-11-05', to: '2026-11-03' })).reason).toBe(
      'INVALID_PERIOD',
    );
    expect(errorOf(() => parseKpiScope({ from: '2026-11', to: '2026-11-03' })).field).toBe('from');
  });

  it('KPI complaint rate = service-caused complaints / completed work orders, target < 3 %', () => {
    const complaints = [
      complaint(1, { category: 'SERVICE_ATTITUDE' }),
      complaint(2, { category: 'PRODUCT_QUALITY' }),
      complaint(3, { category: 'REPAIR_QUALITY', status: 'CLOSED_INVALID' }),
    ];
    expect(complaintRateKpi(complaints, 40)).toEqual({
      serviceCausedComplaints: 1,
      completedWorkOrders: 40,
      rate: 0.025,
      target: 0.03,
      meetsTarget: true,
    });
    expect(complaintRateKpi(complaints, 20)).toMatchObject({ rate: 0.05, meetsTarget: false });
    expect(complaintRateKpi(complaints, 0)).toMatchObject({ rate: null, meetsTarget: null });
  });

  it('KPI complaint closure = closed within 7 days of receipt / complaints due, target 100 %', () => {
    const at = (days: number) => new Date(RECEIVED.getTime() + days * DAY);
    const complaints = [
      complaint(1, { status: 'CLOSED', closedAt: at(7) }), // exactly 7 × 24 h: in time
      complaint(2, { status: 'CLOSED_INVALID', closedAt: at(1) }), // answered as invalid: closed
      complaint(3, { status: 'CLOSED', closedAt: new Date(at(7).getTime() + 1000) }), // late
      complaint(4, { status: 'ASSIGNED', closedAt: null }), // open and past 7 days
      complaint(5, { status: 'ASSIGNED', closedAt: null, receivedAt: at(15) }), // still in time
    ];
    expect(complaintClosureKpi(complaints, NOW)).toEqual({
      complaints: 5,
      due: 4,
      closedWithinDeadline: 2,
      closedLate: 1,
      openOverdue: 1,
      pending: 1,
      rate: 0.5,
      target: 1,
      meetsTarget: false,
    });
    expect(complaintClosureKpi([complaints[0]!], NOW)).toMatchObject({
      rate: 1,
      meetsTarget: true,
    });
    expect(complaintClosureKpi([complaints[4]!], NOW)).toMatchObject({
      due: 0,
      rate: null,
      meetsTarget: null,
    });
  });

  it('KPI scope: region of the work order; a technician named in the complaint, else the technicians of its work order', () => {
    const tech = id(700);
    const order: CompletedOrderFacts = {
      workOrderId: id(500),
      province: 'Zhejiang',
      city: 'Hangzhou',
      technicianIds: [tech],
      stationCode: 'HZ-01',
    };
    const aboutAccused = complaint(1); // about ACCUSED, on order id(500)
    const aboutNobody = complaint(2, { aboutStaffIds: [] });
    expect(complaintInScope(aboutAccused, order, { province: 'Zhejiang' })).toBe(true);
    expect(complaintInScope(aboutAccused, order, { city: 'Ningbo' })).toBe(false);
    // Without a (completed) work order there is no region to match.
    expect(complaintInScope(aboutAccused, undefined, { province: 'Zhejiang' })).toBe(false);
    expect(complaintInScope(aboutAccused, undefined, {})).toBe(true);
    expect(complaintInScope(aboutAccused, order, { technicianId: ACCUSED })).toBe(true);
    expect(complaintInScope(aboutAccused, order, { technicianId: tech })).toBe(false);
    expect(complaintInScope(aboutNobody, order, { technicianId: tech })).toBe(true);
    expect(complaintInScope(aboutNobody, undefined, { technicianId: tech })).toBe(false);
  });

  it('KPI scope per station: the station that completed the order, else the one on the complaint', () => {
    const order: CompletedOrderFacts = {
      workOrderId: id(500),
      province: 'Zhejiang',
      city: 'Hangzhou',
      technicianIds: [],
      stationCode: 'HZ-01',
    };
    const recorded = { ...complaint(1), stationCode: 'SZ-02' };
    // Completed at HZ-01 after the complaint was recorded against SZ-02: HZ-01 answers for it.
    expect(complaintInScope(recorded, order, { stationCode: 'HZ-01' })).toBe(true);
    expect(complaintInScope(recorded, order, { stationCode: 'SZ-02' })).toBe(false);
    // Work not done yet: the station recorded on the complaint.
    expect(complaintInScope(recorded, undefined, { stationCode: 'SZ-02' })).toBe(true);
    expect(complaintInScope(recorded, undefined, { stationCode: 'HZ-01' })).toBe(false);
    // No work order, no station: out of every station's figure, in the unscoped one.
    expect(complaintInScope(complaint(3), undefined, { stationCode: 'HZ-01' })).toBe(false);
    expect(complaintInScope(complaint(3), undefined, {})).toBe(true);
    // Station and region together.
    expect(complaintInScope(recorded, order, { stationCode: 'HZ-01', city: 'Ningbo' })).toBe(false);
    expect(orderInScope(order, { stationCode: 'HZ-01' })).toBe(true);
    expect(orderInScope({ ...order, stationCode: null }, { stationCode: 'HZ-01' })).toBe(false);
  });
});
