import type { System } from '../harness';

/** A customer (a person with one contact and address) and a vehicle under warranty, through the graph. */
export async function customerWithAsset(
  sys: System,
  name: string,
  vin: string,
): Promise<{ customerId: string; assetId: string }> {
  const c = await sys.gql<{ createCustomer: { customer: { id: string } } }>(
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
    {
      input: {
        kind: 'PERSON',
        name,
        contacts: [{ name, mobile: '13800001111' }],
        addresses: [
          {
            region: { province: 'Zhejiang', city: 'Hangzhou', district: 'Xihu' },
            line: '1 Lake Road',
          },
        ],
      },
    },
  );
  const customerId = c.data!.createCustomer.customer.id;
  const a = await sys.gql<{ registerAsset: { asset: { id: string } } }>(
    `mutation($input: RegisterAssetInput!) { registerAsset(input: $input) { asset { id } } }`,
    {
      input: {
        customerId,
        kind: 'VEHICLE',
        model: 'City EV',
        vin,
        warrantyStart: '2026-01-01',
        warrantyEnd: '2027-12-31',
      },
    },
  );
  return { customerId, assetId: a.data!.registerAsset.asset.id };
}
