import { serviceClient, type ServiceRuntime } from '@aftercare/kit';
import { customerV1, workorderV1 } from '@aftercare/proto';
import type { CustomerDirectory, WorkOrderDirectory } from '../app/deps';
import type { ComplaintConfig } from '../config';

type ClientRuntime = Pick<ServiceRuntime<ComplaintConfig>, 'config' | 'calls' | 'lifecycle'>;

/** The customer archive over gRPC; calls carry the given identity (the caller, or this service). */
export function customerDirectory(runtime: ClientRuntime): CustomerDirectory {
  const client = serviceClient(
    runtime,
    customerV1.CustomerServiceClient,
    runtime.config.CUSTOMER_GRPC_ADDRESS,
    'customer service',
  );
  return {
    async customer(customerId, caller) {
      const { customer } = await client.getCustomer({ id: customerId }, { identity: caller });
      const contacts = customer?.contacts ?? [];
      const contact = contacts.find((c) => c.primary) ?? contacts[0];
      return {
        id: customerId,
        name: contact?.name || customer?.name || customerId,
        phone: contact?.mobile || contact?.phone || null,
        destroyed: customer?.status === customerV1.CustomerStatus.CUSTOMER_STATUS_DESTROYED,
      };
    },
    async assetOwner(assetId, caller) {
      const { asset } = await client.getAsset({ id: assetId }, { identity: caller });
      return asset?.customerId ?? '';
    },
  };
}

/** The work-order service over gRPC: related work orders and the staff roster. */
export function workOrderDirectory(runtime: ClientRuntime): WorkOrderDirectory {
  const client = serviceClient(
    runtime,
    workorderV1.WorkOrderServiceClient,
    runtime.config.WORKORDER_GRPC_ADDRESS,
    'work-order service',
  );
  return {
    async workOrder(workOrderId, caller) {
      const { workOrder: o } = await client.getWorkOrder({ id: workOrderId }, { identity: caller });
      return {
        id: workOrderId,
        number: o?.number ?? workOrderId,
        customerId: o?.customerId || null,
        assetId: o?.assetId || null,
        technicianIds: o?.technicianIds ?? [],
        leadTechnicianId: o?.leadTechnicianId || null,
        stationCode: o?.stationCode || null,
      };
    },
    async staff(ids, caller) {
      if (ids.length === 0) return [];
      const { staff } = await client.batchGetStaff({ ids: [...ids] }, { identity: caller });
      return staff.map((s) => ({
        id: s.id,
        position: s.position || null,
        teamLeadId: s.teamLeadId || null,
      }));
    },
  };
}
