import { type ClientRuntime, serviceClient } from '@aftercare/kit';
import { workorderV1 } from '@aftercare/proto';
import type { WorkOrderDirectory } from '../app/deps';

/** The work-order service over gRPC; calls carry the caller's identity (kit request scope). */
export function workOrderDirectory(
  runtime: ClientRuntime & { config: { WORKORDER_GRPC_ADDRESS: string } },
): WorkOrderDirectory {
  const client = serviceClient(
    runtime,
    workorderV1.WorkOrderServiceClient,
    runtime.config.WORKORDER_GRPC_ADDRESS,
    'work-order service',
  );
  return {
    async openForParts(workOrderId, caller) {
      const { workOrder } = await client.checkOpenForParts({ workOrderId }, { identity: caller });
      return {
        number: workOrder?.number ?? workOrderId,
        technicianIds: workOrder?.technicianIds ?? [],
      };
    },
  };
}
