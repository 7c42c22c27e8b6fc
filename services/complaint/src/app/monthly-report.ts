import type { ComplaintMonthlyReport } from '@aftercare/events';
import { events } from '@aftercare/events';
import { recordOnce } from '@aftercare/kit';
import { localMonth } from '../domain';
import { type ComplaintDeps, SERVICE_IDENTITY } from './deps';
import { complaintReport } from './queries';

/** The business month before `month` (`YYYY-MM`). */
const previousMonth = (month: string): string => {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return mon === 1 ? `${year - 1}-12` : `${year}-${String(mon - 1).padStart(2, '0')}`;
};

/**
 * R-CO-4 "monthly statistics by the 10th of the next month": once the business month is over, its
 * report goes out as `complaint.monthly_report` (as of publication) for the reporting jobs. The
 * `complaint_monthly_report` primary key and the outbox row commit together, so the report is
 * published once per month however many scheduler replicas scan. Returns the month published by
 * this call, or null.
 */
export async function publishMonthlyReport(deps: ComplaintDeps): Promise<string | null> {
  const now = deps.now();
  const month = previousMonth(localMonth(now, deps.calendar));
  return deps.orm.em.fork().transactional(async (em) => {
    if (!(await recordOnce(em, 'complaint_monthly_report', { month, published_at: now })))
      return null;
    const report = await complaintReport(deps, em, SERVICE_IDENTITY, month);
    deps.events.publish(em, events.complaint.monthlyReport, month, {
      ...report,
      publishedAt: now.toISOString(),
    } satisfies ComplaintMonthlyReport);
    return month;
  });
}
