import { createGrpcClient, type OutgoingCalls } from '@aftercare/kit';
import { customerV1 } from '@aftercare/proto';
import { type CustomerDirectory, SURVEY_SERVICE_IDENTITY } from '../app/deps';

/**
 * The customer service over gRPC. Survey calls it on its own behalf (role `service`): contact log
 * entries are written by the retry worker as well as after a call, and name the agent as staff.
 */
export function customerDirectory(
  address: string,
  timeoutMs: number,
  calls: OutgoingCalls,
): CustomerDirectory & { close(): void } {
  const client = createGrpcClient(customerV1.CustomerServiceClient, address, {
    ...calls,
    name: 'customer service',
    timeoutMs,
    identity: SURVEY_SERVICE_IDENTITY,
  });
  const as = { identity: SURVEY_SERVICE_IDENTITY };
  return {
    async logContact(e) {
      await client.logContact(
        customerV1.LogContactRequest.create({
          customerId: e.customerId,
          channel: customerV1.ContactChannel.CONTACT_CHANNEL_PHONE,
          direction: customerV1.ContactDirection.CONTACT_DIRECTION_OUTBOUND,
          purpose: customerV1.ContactPurpose.CONTACT_PURPOSE_FOLLOW_UP,
          summary: e.summary,
          customerRequest: e.customerRequest ?? '',
          staffId: e.staffId,
          occurredAt: e.occurredAt,
          reference: e.reference,
          idempotencyKey: `survey-call:${e.callId}`,
        }),
        as,
      );
    },
    async assetDates(assetIds) {
      const out = [];
      for (let i = 0; i < assetIds.length; i += 500) {
        const { assets } = await client.batchGetAssets({ ids: assetIds.slice(i, i + 500) }, as);
        for (const a of assets)
          out.push({
            assetId: a.id,
            customerId: a.customerId,
            warrantyEnd: a.warrantyEnd || null,
            contractEnd: a.contract?.endDate || null,
            contractNumber: a.contract?.number || null,
            nextMaintenanceDue: a.nextMaintenanceDue || null,
            maintenanceCycleDays: a.maintenanceCycleDays || null,
          });
      }
      return out;
    },
    close: () => client.close(),
  };
}
