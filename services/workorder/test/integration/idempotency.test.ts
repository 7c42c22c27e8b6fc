import type { Identity } from '@aftercare/kit';
import {
  type IdempotentCreate,
  idempotentCreateChecks,
  rowCount,
  subgraphCreate,
  subgraphData,
} from '@aftercare/testkit';
import { withCustomerForThisFile } from './with-customer';

// Issue 11: registerWorkOrder takes an idempotency key. Intake checks customer and asset with the
// real customer service over gRPC before anything is written.
const agent: Identity = { userId: 'wo-idem-agent', roles: ['agent'] };
const s = withCustomerForThisFile('wo-idem');
let customerId: string;
let assetId: string;
beforeAll(async () => {
  const { createCustomer } = await subgraphData<{ createCustomer: { customer: { id: string } } }>(
    s.customer.httpPort,
    `mutation { createCustomer(input: { kind: PERSON, name: "Idem", contacts: [{ name: "I", mobile: "13800008888" }], addresses: [{ region: { province: "Zhejiang", city: "Hangzhou" } }] }) { customer { id } } }`,
    {},
    agent,
  );
  customerId = createCustomer.customer.id;
  const { registerAsset } = await subgraphData<{ registerAsset: { asset: { id: string } } }>(
    s.customer.httpPort,
    `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: EQUIPMENT, model: "M", serialNumber: "IDEM-1" }) { asset { id } } }`,
    { id: customerId },
    agent,
  );
  assetId = registerAsset.asset.id;
});

const registerWorkOrder: IdempotentCreate = {
  rows: () => rowCount(s.workorderEnv.env.DATABASE_URL!, 'work_order'),
  call: subgraphCreate<{ registerWorkOrder: { workOrder: { id: string } } }>({
    httpPort: () => s.workorder.httpPort,
    caller: agent,
    query: `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`,
    variables: (v, key) => ({
      input: {
        customerId,
        assetId,
        contact: { name: 'Idem', phone: '13800008888' },
        address: { region: { province: 'Zhejiang', city: 'Hangzhou' }, line: '1 Lake Road' },
        areaType: 'URBAN',
        distanceKm: 5,
        faultDescription: `does not start (${v})`,
        category: 'MECHANICAL',
        channel: 'PHONE',
        idempotencyKey: key,
      },
    }),
    id: (d) => d.registerWorkOrder.workOrder.id,
  }),
};

describe('idempotent registerWorkOrder (GraphQL)', () => {
  it.each(idempotentCreateChecks)('%s', (_title, check) => check(registerWorkOrder));
});
