import { enumCodec, type MethodRoles, type ServiceHandlers, withRoles } from '@aftercare/kit';
import { complaintV1 as pb } from '@aftercare/proto';
import { CAN_READ_COMPLAINTS, CAN_WORK_COMPLAINTS } from '../app/access';
import type { ComplaintDeps } from '../app/deps';
import { CAN_EXPORT_PAYROLL, payrollExport } from '../app/penalties';
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

const COMPLAINT_READERS = [...new Set([...CAN_READ_COMPLAINTS, ...CAN_WORK_COMPLAINTS])];

/**
 * Who may call each method: checked before the request is decoded (the use cases check again, and
 * narrow complaints to the handler's own for staff outside the readers).
 */
export const COMPLAINT_GRPC_ROLES: MethodRoles<typeof pb.ComplaintServiceService> = {
  getComplaint: COMPLAINT_READERS,
  listComplaints: COMPLAINT_READERS,
  exportMonthlyPenalties: CAN_EXPORT_PAYROLL,
};

/** gRPC adapter. */
export function complaintHandlers(
  deps: ComplaintDeps,
): ServiceHandlers<typeof pb.ComplaintServiceService> {
  const em = () => deps.orm.em.fork();
  return withRoles(COMPLAINT_GRPC_ROLES, {
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
  });
}
