import type { Identity } from '@aftercare/kit';
import {
  type IdempotentCreate,
  idempotentCreateChecks,
  rowCount,
  subgraphCreate,
  subgraphData,
  type TestServiceEnv,
  testServiceEnv,
} from '@aftercare/testkit';
import { loadCustomerConfig, startCustomerService } from '@aftercare/customer-service';
import { loadWorkOrderConfig, startWorkOrderService } from '../../src';

// Issue 11: registerWorkOrder takes an idempotency key. Intake checks customer and asset with the
// real customer service over gRPC before anything is written.
const agent: Identity = { userId: 'wo-idem-agent', roles: ['agent'] };
let customerEnv: TestServiceEnv;
let workorderEnv: TestServiceEnv;
let customer: Awaited<ReturnType<typeof startCustomerService>>;
let workorder: Awaited<ReturnType<typeof startWorkOrderService>>;
let customerId: string;
let assetId: string;

beforeAll(async () => {
  customerEnv = await testServiceEnv('wo-idem-customer');
  customer = await startCustomerService(loadCustomerConfig(customerEnv.env));
  workorderEnv = await testServiceEnv('wo-idem', {
    CUSTOMER_GRPC_ADDRESS: `127.0.0.1:${customer.grpcPort}`,
    SLA_SCHEDULER: 'false',
  });
  workorder = await startWorkOrderService(loadWorkOrderConfig(workorderEnv.env));
  const { createCustomer } = await subgraphData<{ createCustomer: { customer: { id: string } } }>(
    customer.httpPort,
    `mutation { createCustomer(input: { kind: PERSON, name: "Idem", contacts: [{ name: "I", mobile: "13800008888" }], addresses: [{ region: { province: "Zhejiang", city: "Hangzhou" } }] }) { customer { id } } }`,
    {},
    agent,
  );
  customerId = createCustomer.customer.id;
  const { registerAsset } = await subgraphData<{ registerAsset: { asset: { id: string } } }>(
    customer.httpPort,
    `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: EQUIPMENT, model: "M", serialNumber: "IDEM-1" }) { asset { id } } }`,
    { id: customerId },
    agent,
  );
  assetId = registerAsset.asset.id;
});

afterAll(async () => {
  await workorder?.stop();
  await customer?.stop();
  await workorderEnv?.cleanup();
  await customerEnv?.cleanup();
});

const registerWorkOrder: IdempotentCreate = {
  rows: () => rowCount(workorderEnv.env.DATABASE_URL!, 'work_order'),
  call: subgraphCreate<{ registerWorkOrder: { workOrder: { id: string } } }>({
    httpPort: () => workorder.httpPort,
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
