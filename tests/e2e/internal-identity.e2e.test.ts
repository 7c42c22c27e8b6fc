import { join } from 'node:path';
import { complaintV1, customerV1, inventoryV1, surveyV1, workorderV1 } from '@aftercare/proto';
import { identityAttacks, type IdentityAttackTarget } from '@aftercare/testkit';
import { startSystem, type System } from './harness';

// Zero trust between services (ADR 0010): a subgraph answers only requests carrying the
// gateway's token made for it, a gRPC server only calls carrying a trusted service's token made
// for it. Whoever reaches a service directly — past a missing NetworkPolicy, from a compromised
// pod — cannot claim to be anyone.
let sys: System;
beforeAll(async () => {
  sys = await startSystem('e2e-identity');
});
afterAll(() => sys?.stop());

const schemaOf = (service: string) =>
  join(__dirname, '..', '..', 'services', service, 'src', 'graphql', 'schema.graphql');

const targets = (): IdentityAttackTarget[] =>
  (
    [
      ['customer', sys.customer, sys.customerEnv, customerV1.CustomerServiceService],
      ['workorder', sys.workorder, sys.workorderEnv, workorderV1.WorkOrderServiceService],
      ['inventory', sys.inventory, sys.inventoryEnv, inventoryV1.InventoryServiceService],
      ['complaint', sys.complaint, sys.complaintEnv, complaintV1.ComplaintServiceService],
      ['survey', sys.survey, sys.surveyEnv, surveyV1.SurveyServiceService],
    ] as const
  ).map(([service, running, env, grpc]) => ({
    service,
    httpPort: running.httpPort,
    grpcAddress: `127.0.0.1:${running.grpcPort}`,
    grpcServices: [grpc],
    schemaPath: schemaOf(service),
    databaseUrl: env.env.DATABASE_URL!,
  }));

it.each(['customer', 'workorder', 'inventory', 'complaint', 'survey'])(
  'the %s service refuses forged, unsigned, expired, misaddressed and legacy identities on every root field and gRPC method, writing nothing',
  async (service) => {
    const target = targets().find((t) => t.service === service)!;
    const report = await identityAttacks(target);
    expect(report.accepted).toEqual([]);
    expect(report.rowsChanged).toBe(false);
    // Every field and method was tried with every attack (6 over HTTP, 5 over gRPC).
    expect(report.calls).toBeGreaterThan(50);
  },
);

it('a user id outside Latin-1 travels intact from the token to the record it writes', async () => {
  const created = await sys.gql<{ createCustomer: { customer: { id: string } } }>(
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
    {
      input: {
        kind: 'PERSON',
        name: '王五',
        contacts: [{ name: '王五', role: 'owner', mobile: '13600001235' }],
        addresses: [{ region: { province: '广东', city: '深圳' }, line: '科苑路 99 号' }],
      },
    },
    ['agent'],
    '张三',
  );
  expect(created.errors).toBeUndefined();
  const logged = await sys.gql<{ logContact: { entry: { staffId: string } } }>(
    `mutation($input: LogContactInput!) { logContact(input: $input) { entry { staffId } } }`,
    {
      input: {
        customerId: created.data!.createCustomer.customer.id,
        channel: 'PHONE',
        direction: 'INBOUND',
        purpose: 'CONSULTATION',
        summary: '问保修',
      },
    },
    ['agent'],
    '张三',
  );
  expect(logged.errors).toBeUndefined();
  expect(logged.data!.logContact.entry.staffId).toBe('张三');
});
