import { createGrpcClient, type OutgoingCalls } from '@aftercare/kit';
import { workorderV1 } from '@aftercare/proto';
import type { WorkOrderDirectory } from '../app/deps';

/** The work-order service over gRPC; calls carry the caller's identity (kit request scope). */
export function workOrderDirectory(
  address: string,
  timeoutMs: number,
  calls: OutgoingCalls,
): WorkOrderDirectory & { close(): void } {
  const client = createGrpcClient(workorderV1.WorkOrderServiceClient, address, {
    ...calls,
    name: 'work-order service',
    timeoutMs,
  });
  return {
    async openForParts(workOrderId, caller) {
      const { workOrder } = await client.checkOpenForParts({ workOrderId }, { identity: caller });
      return {
        number: workOrder?.number ?? workOrderId,
        technicianIds: workOrder?.technicianIds ?? [],
      };
    },
    close: () => client.close(),
  };
}
