import { enumCodec, type ServiceHandlers } from '@aftercare/kit';
import { complaintV1 as pb } from '@aftercare/proto';
import type { ComplaintDeps } from '../app/deps';
import { payrollExport } from '../app/penalties';
import { getComplaint, listComplaints } from '../app/queries';
import type { ComplaintRecord } from '../db/entities';
import { type ComplaintStatus, parseMonth } from '../domain';

const statuses = enumCodec<ComplaintStatus>(pb.ComplaintStatus, 'COMPLAINT_STATUS_');

export const toComplaint = (c: ComplaintRecord): pb.Complaint => ({
  id: c.id,
  number: c.number,
  status: statuses.encode(c.status),
  customerId: c.customerId,
  workOrderId: c.workOrderId ?? '',
  assetId: c.assetId ?? '',
  channel: c.channel,
  category: c.category,
  content: c.content,
  demands: c.demands,
  department: c.department ?? '',
  handlerId: c.handlerId ?? '',
  majorReasons: c.majorReasons,
  receivedAt: c.receivedAt,
  escalatedAt: c.escalatedAt ?? undefined,
  closedAt: c.closedAt ?? undefined,
  satisfaction: c.satisfaction ?? '',
  invalidReason: c.invalidReason ?? '',
});

/** gRPC adapter; roles are checked in the use cases (payroll: manager, auditor, service). */
export function complaintHandlers(
  deps: ComplaintDeps,
): ServiceHandlers<typeof pb.ComplaintServiceService> {
  const em = () => deps.orm.em.fork();
  return {
    async getComplaint(req, { identity }) {
      return { complaint: toComplaint(await getComplaint(em(), identity, req.id)) };
    },
    async listComplaints(req, { identity }) {
      const page = await listComplaints(em(), identity, {
        customerId: req.customerId || null,
        workOrderId: req.workOrderId || null,
        first: req.pageSize || undefined,
        after: req.pageToken || undefined,
      });
      return {
        complaints: page.items.map(toComplaint),
        nextPageToken: page.nextCursor ?? '',
        total: page.total,
      };
    },
    async exportMonthlyPenalties(req, { identity }) {
      const month = parseMonth(req.month);
      const rows = await payrollExport(deps, em(), identity, month);
      return {
        month,
        rows: rows.map((r) => ({
          staffId: r.staffId,
          penaltyPoints: r.penaltyPoints,
          finesFen: String(r.finesFen),
          rewardPoints: r.rewardPoints,
          rewardsFen: String(r.rewardsFen),
          netPoints: r.netPoints,
          netFen: String(r.netFen),
          entries: r.entries,
        })),
      };
    },
  };
}
