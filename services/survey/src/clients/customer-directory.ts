import { type ClientRuntime, type Identity, serviceClient } from '@aftercare/kit';
import { customerV1 } from '@aftercare/proto';
import type { CustomerDirectory } from '../app/deps';

/** How the survey service acts on its own behalf (the reminder scheduler) towards other services. */
const SURVEY_SERVICE_IDENTITY: Identity = { userId: 'survey-service', roles: ['service'] };

/** The customer service over gRPC, called on the survey service's own behalf (role `service`). */
export function customerDirectory(
  runtime: ClientRuntime & { config: { CUSTOMER_GRPC_ADDRESS: string } },
): CustomerDirectory {
  const client = serviceClient(
    runtime,
    customerV1.CustomerServiceClient,
    runtime.config.CUSTOMER_GRPC_ADDRESS,
    'customer service',
    { identity: SURVEY_SERVICE_IDENTITY },
  );
  const as = { identity: SURVEY_SERVICE_IDENTITY };
  return {
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
  };
}
