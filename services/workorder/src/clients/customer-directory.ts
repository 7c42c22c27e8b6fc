import { type ClientRuntime, enumCodec, serviceClient } from '@aftercare/kit';
import { fileDestroyed } from '@aftercare/kernel';
import { customerV1 } from '@aftercare/proto';
import type { CustomerDirectory } from '../app/deps';
import type { Entitlement } from '../domain';

const entitlements = enumCodec<Entitlement>(customerV1.Entitlement, 'ENTITLEMENT_');

/** The customer service over gRPC, called on behalf of the caller (identity in metadata). */
export function customerDirectory(
  runtime: ClientRuntime & { config: { CUSTOMER_GRPC_ADDRESS: string } },
): CustomerDirectory {
  const client = serviceClient(
    runtime,
    customerV1.CustomerServiceClient,
    runtime.config.CUSTOMER_GRPC_ADDRESS,
    'customer service',
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
      const { customer } = await client.getCustomer(
        customerV1.GetCustomerRequest.create({ id: customerId }),
        { identity: caller },
      );
      // R-CU-4 the answer is the file's tombstone: refused here, at no extra call.
      if (customer?.status === customerV1.CustomerStatus.CUSTOMER_STATUS_DESTROYED)
        throw fileDestroyed(customer.code, 'customerId');
    },
  };
}
