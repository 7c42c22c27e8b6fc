import {
  createGrpcClient,
  enumCodec,
  type PromiseClient,
  type OutgoingCalls,
} from '@aftercare/kit';
import { customerV1 } from '@aftercare/proto';
import type { CustomerDirectory } from '../app/deps';
import type { Entitlement } from '../domain';

const entitlements = enumCodec<Entitlement>(customerV1.Entitlement, 'ENTITLEMENT_');

/** The customer service over gRPC, called on behalf of the caller (identity in metadata). */
export function customerDirectory(
  address: string,
  timeoutMs: number,
  calls: OutgoingCalls,
): CustomerDirectory & { close(): void } {
  const client: PromiseClient<typeof customerV1.CustomerServiceService> = createGrpcClient(
    customerV1.CustomerServiceClient,
    address,
    {
      ...calls,
      name: 'customer service',
      timeoutMs,
    },
  );
  return {
    async entitlement(assetId, at, caller) {
      const res = await client.getServiceEntitlement(
        customerV1.GetServiceEntitlementRequest.create({ assetId, at }),
        { identity: caller },
      );
      return {
        customerId: res.customerId,
        kind: entitlements.decode(res.entitlement, 'entitlement') ?? 'PAID',
        reason: res.reason,
      };
    },
    async assertCustomer(customerId, caller) {
      await client.getCustomer(customerV1.GetCustomerRequest.create({ id: customerId }), {
        identity: caller,
      });
    },
    close: () => client.close(),
  };
}
