import { BusinessCalendar } from '@aftercare/calendar';
import {
  Complaint,
  isServiceCaused,
  localMonth,
  monthlyComplaintReport,
  nextMonth,
  parseMonth,
  reportDueDate,
} from '../../src/domain';
import { complaintIn, errorOf, id, newComplaint } from './helpers';

const calendar = new BusinessCalendar();
const HOUR = 3_600_000;
const local = (wall: string) => calendar.fromLocal(wall);

/** A complaint received at `wall` (local), optionally closed `hoursToClose` later. */
function received(
  n: number,
  wall: string,
  overrides: Partial<Complaint> = {},
  hoursToClose?: number,
): Complaint {
  const receivedAt = local(wall);
  return {
    ...newComplaint({}, n),
    receivedAt,
    closedAt:
      hoursToClose === undefined ? null : new Date(receivedAt.getTime() + hoursToClose * HOUR),
    ...overrides,
  };
}

describe('complaint statistics', () => {
  it('R-CO-4 the report is due by the 10th of the next month', () => {
    expect(reportDueDate('2026-11')).toBe('2026-12-10');
    expect(reportDueDate('2026-12')).toBe('2027-01-10');
    expect(reportDueDate('2026-12', 5)).toBe('2027-01-05');
    expect(errorOf(() => reportDueDate('2026-1')).reason).toBe('INVALID_MONTH');
    expect(nextMonth('2026-09')).toBe('2026-10');
  });

  it('R-CO-4 counts months in the business time zone', () => {
    expect(localMonth(new Date('2026-11-30T16:30:00Z'), calendar)).toBe('2026-12');
    expect(errorOf(() => parseMonth('2026-00')).reason).toBe('INVALID_MONTH');
  });

  it('issue 11 (found by the fuzz suite): a month outside 1900–2199 is refused, not turned into a 10000-01 range (INTERNAL before)', () => {
    expect(errorOf(() => parseMonth('9999-12'))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      reason: 'DATE_OUT_OF_RANGE',
      field: 'month',
    });
    expect(errorOf(() => parseMonth('0001-01')).reason).toBe('DATE_OUT_OF_RANGE');
    expect(parseMonth('2199-12')).toBe('2199-12');
  });

  describe('service-caused complaints', () => {
    it('R-CO-4 service attitude and repair quality count until an investigation says otherwise', () => {
      expect(isServiceCaused(newComplaint({ category: 'SERVICE_ATTITUDE' }))).toBe(true);
      expect(isServiceCaused(newComplaint({ category: 'REPAIR_QUALITY' }))).toBe(true);
      expect(isServiceCaused(newComplaint({ category: 'PRODUCT_QUALITY' }))).toBe(false);
      const investigated = complaintIn('INVESTIGATED');
      expect(isServiceCaused(investigated)).toBe(true);
      const cleared = {
        ...investigated,
        investigation: { ...investigated.investigation!, serviceCaused: false },
      };
      expect(isServiceCaused(cleared)).toBe(false);
      const productButService = { ...investigated, category: 'PRODUCT_QUALITY' as const };
      expect(isServiceCaused(productButService)).toBe(true);
    });

    it('R-CO-4 an invalid complaint is never service-caused', () => {
      expect(isServiceCaused(complaintIn('CLOSED_INVALID'))).toBe(false);
    });
  });

  describe('monthlyComplaintReport', () => {
    const complaints: Complaint[] = [
      // Closed in 10 h, service attitude by phone, routed to service.
      received(1, '2026-11-02T09:00', { department: 'service', status: 'CLOSED' }, 10),
      // Closed in 30 h, transport via the manufacturer.
      received(
        2,
        '2026-11-03T09:00',
        {
          category: 'TRANSPORT',
          channel: 'MANUFACTURER',
          department: 'logistics',
          status: 'CLOSED',
        },
        30,
      ),
      // Closed in 200 h: later than 7 days (168 h).
      received(3, '2026-11-04T09:00', { department: 'service', status: 'CLOSED' }, 200),
      // Invalid, answered in 2 h.
      received(4, '2026-11-05T09:00', { status: 'CLOSED_INVALID' }, 2),
      // Open, repair quality, received late in the month: not overdue at report time.
      received(5, '2026-11-29T09:00', { category: 'REPAIR_QUALITY', status: 'RECORDED' }),
      // Open since the 10th: closure overdue; major and never escalated.
      received(6, '2026-11-10T09:00', { category: 'PRODUCT_QUALITY', channel: 'MEDIA' }),
      // Local 1 December 00:30 (still 30 November in UTC): next month's.
      received(7, '2026-12-01T00:30'),
      // October's.
      received(8, '2026-10-31T23:00'),
    ];
    const report = monthlyComplaintReport({
      complaints,
      completedWorkOrders: 200,
      month: '2026-11',
      calendar,
      now: local('2026-12-02T09:00'),
      majorIds: [id(6)],
    });

    it('R-CO-4 counts by category, channel and responsible department', () => {
      expect(report).toMatchObject({
        month: '2026-11',
        dueDate: '2026-12-10',
        total: 6,
        invalid: 1,
      });
      expect(report.byCategory).toEqual([
        { key: 'PRODUCT_QUALITY', count: 1 },
        { key: 'SERVICE_ATTITUDE', count: 3 },
        { key: 'REPAIR_QUALITY', count: 1 },
        { key: 'SALES_CONTRACT', count: 0 },
        { key: 'TRANSPORT', count: 1 },
        { key: 'SUGGESTION', count: 0 },
      ]);
      expect(report.byChannel.filter((l) => l.count > 0)).toEqual([
        { key: 'PHONE', count: 4 },
        { key: 'MANUFACTURER', count: 1 },
        { key: 'MEDIA', count: 1 },
      ]);
      expect(report.byChannel).toHaveLength(8);
      expect(report.byDepartment).toEqual([
        { key: 'logistics', count: 1 },
        { key: 'service', count: 2 },
      ]);
    });

    it('R-CO-4 time to close: average and median in hours over closed complaints', () => {
      // Closed: 10, 30, 200, 2 h → mean 242 / 4 = 60.5; median of 2, 10, 30, 200 = (10 + 30) / 2 = 20.
      expect(report).toMatchObject({
        closed: 4,
        averageHoursToClose: 60.5,
        medianHoursToClose: 20,
        closedWithinDeadline: 3,
      });
    });

    it('R-CO-4 overdue complaints as of the report time, by kind', () => {
      // No. 3 closed late, no. 6 still open after 7 days and not escalated.
      expect(report.overdue).toBe(2);
      expect(report.overdueByKind).toEqual({ SOLUTION: 0, CLOSURE: 2, ESCALATION: 1 });
    });

    it('R-CO-4 complaint rate = service-caused complaints / completed work orders, target < 3 %', () => {
      // Service-caused: nos. 1, 3 (service attitude) and 5 (repair quality); 3 / 200 = 1.5 %.
      expect(report).toMatchObject({
        serviceCaused: 3,
        completedWorkOrders: 200,
        complaintRate: 0.015,
        complaintRateTarget: 0.03,
        meetsTarget: true,
      });
      const worse = monthlyComplaintReport({
        complaints,
        completedWorkOrders: 100,
        month: '2026-11',
        calendar,
        now: local('2026-12-02T09:00'),
      });
      // 3 / 100 = 3 %: the target is strictly below.
      expect(worse).toMatchObject({ complaintRate: 0.03, meetsTarget: false });
    });

    it('R-CO-4 an empty month reports zeros and no rate without completed work orders', () => {
      const empty = monthlyComplaintReport({
        complaints: [],
        completedWorkOrders: 0,
        month: '2026-02',
        calendar,
        now: local('2026-03-01T09:00'),
      });
      expect(empty).toMatchObject({
        total: 0,
        closed: 0,
        averageHoursToClose: null,
        medianHoursToClose: null,
        complaintRate: null,
        meetsTarget: null,
        dueDate: '2026-03-10',
      });
      expect(
        errorOf(() =>
          monthlyComplaintReport({
            complaints: [],
            completedWorkOrders: -1,
            month: '2026-02',
            calendar,
            now: local('2026-03-01T09:00'),
          }),
        ).field,
      ).toBe('completedWorkOrders');
    });

    it('R-CO-4 the median of an odd count is the middle value', () => {
      const odd = monthlyComplaintReport({
        complaints: complaints.slice(0, 3),
        completedWorkOrders: 10,
        month: '2026-11',
        calendar,
        now: local('2026-12-02T09:00'),
      });
      expect(odd.medianHoursToClose).toBe(30);
    });
  });
});
