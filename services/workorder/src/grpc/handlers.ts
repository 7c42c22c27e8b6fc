import { enumCodec, type MethodRoles, type ServiceHandlers, withRoles } from '@aftercare/kit';
import { CAN_READ } from '../app/access';
import { workorderV1 as pb } from '@aftercare/proto';
import type { WorkOrderDeps } from '../app/deps';
import {
  batchGetWorkOrders,
  getWorkOrder,
  listWorkOrders,
  orderOpenForParts,
} from '../app/queries';
import { batchGetStaff, getStaff } from '../app/staff';
import type { StaffRecord, WorkOrderRecord } from '../db/entities';
import type { ServiceType, WorkOrderStatus } from '../domain';

const statuses = enumCodec<WorkOrderStatus>(pb.WorkOrderStatus, 'WORK_ORDER_STATUS_');
const serviceTypes = enumCodec<ServiceType>(pb.ServiceType, 'SERVICE_TYPE_');

export const toWorkOrder = (o: WorkOrderRecord): pb.WorkOrder => ({
  id: o.id,
  number: o.number,
  customerId: o.customerId ?? '',
  assetId: o.assetId ?? '',
  status: statuses.encode(o.status),
  serviceType: serviceTypes.encode(o.serviceType),
  category: o.category,
  faultDescription: o.faultDescription,
  regionProvince: o.province ?? '',
  regionCity: o.city ?? '',
  regionDistrict: o.district ?? '',
  technicianIds: o.technicianIds,
  leadTechnicianId: o.leadTechnicianId ?? '',
  calledAt: o.calledAt,
  arrivalDueAt: o.arrivalDueAt ?? undefined,
  completedAt: o.completedAt ?? undefined,
  repeatRepair: Boolean(o.repeatOfId),
  repeatOfWorkOrderId: o.repeatOfId ?? '',
  stationCode: o.stationCode ?? '',
});

const toStaff = (s: StaffRecord): pb.Staff => ({
  id: s.id,
  name: s.name,
  skills: s.skills,
  regionProvince: s.province ?? '',
  regionCity: s.city ?? '',
  team: s.team ?? '',
  teamLeadId: s.teamLeadId ?? '',
  active: s.active,
  position: s.position ?? '',
  stationCode: s.stationCode ?? '',
});

/** Who may call each method: checked before the request is decoded (the use cases check again). */
export const WORKORDER_GRPC_ROLES: MethodRoles<typeof pb.WorkOrderServiceService> = {
  getWorkOrder: CAN_READ,
  batchGetWorkOrders: CAN_READ,
  listWorkOrders: CAN_READ,
  checkOpenForParts: CAN_READ,
  getStaff: CAN_READ,
  batchGetStaff: CAN_READ,
};

/** gRPC adapter for the other services. */
export function workOrderHandlers(
  deps: WorkOrderDeps,
): ServiceHandlers<typeof pb.WorkOrderServiceService> {
  const em = () => deps.orm.em.fork();
  return withRoles(WORKORDER_GRPC_ROLES, {
    async getWorkOrder(req, { identity }) {
      return { workOrder: toWorkOrder(await getWorkOrder(em(), identity, req.id)) };
    },
    async batchGetWorkOrders(req, { identity }) {
      return { workOrders: (await batchGetWorkOrders(em(), identity, req.ids)).map(toWorkOrder) };
    },
    async listWorkOrders(req, { identity }) {
      const page = await listWorkOrders(em(), identity, {
        customerId: req.customerId || null,
        assetId: req.assetId || null,
        first: req.pageSize || undefined,
        after: req.pageToken || undefined,
      });
      return {
        workOrders: page.items.map(toWorkOrder),
        nextPageToken: page.nextCursor ?? '',
        total: page.total,
      };
    },
    async checkOpenForParts(req, { identity }) {
      return { workOrder: toWorkOrder(await orderOpenForParts(em(), identity, req.workOrderId)) };
    },
    async getStaff(req, { identity }) {
      return { staff: toStaff(await getStaff(em(), identity, req.id)) };
    },
    async batchGetStaff(req, { identity }) {
      return { staff: (await batchGetStaff(em(), identity, req.ids)).map(toStaff) };
    },
  });
}
