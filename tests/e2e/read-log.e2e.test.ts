import { type Role, uuidv7 } from '@aftercare/kit';
import { eventually } from './support/events';
import { customerWithAsset } from './support/intake';
import { startSystem, type System } from './harness';

// R-CU-4 through the gateway: an agent's reads of a customer file — straight, and through a work
// order whose intake asks the customer service over gRPC and whose answer embeds the customer —
// appear in the auditor's read log with who, what and why; a technician cannot read the log.
let sys: System;
const AGENT: Role[] = ['agent'];
const AUDITOR: Role[] = ['auditor'];
const agentId = `agent-${uuidv7()}`;

beforeAll(async () => {
  sys = await startSystem('e2e-read-log');
});
afterAll(() => sys?.stop());

interface Read {
  readerId: string;
  readerRoles: string[];
  callerService: string | null;
  channel: string;
  operation: string;
  purpose: string;
  assetId: string | null;
}

const READS = `query AuditorReview($filter: ArchiveReadFilter) {
  archiveReads(filter: $filter, first: 50) {
    totalCount
    nodes { readerId readerRoles callerService channel operation purpose assetId }
  }
}`;

it('R-CU-4 a read by an agent appears in the auditor’s query, with who, what and the purpose', async () => {
  const { customerId, assetId } = await customerWithAsset(sys, 'Read Log Lin', 'LREADL0G000000001');
  const read = await sys.gql(
    `query ComplaintLookup($id: ID!) { customer(id: $id, purpose: "complaint call about a late repair") { name assets { nodes { model } } } }`,
    { id: customerId },
    AGENT,
    agentId,
  );
  expect(read.errors).toBeUndefined();

  const order = await sys.gql<{ registerWorkOrder: { workOrder: { id: string } } }>(
    `mutation RepairIntake($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id customer { name } } } }`,
    {
      input: {
        customerId,
        assetId,
        contact: { name: 'Read Log Lin', phone: '13600009999' },
        address: { region: { province: 'Zhejiang', city: 'Hangzhou' }, line: '1 Lake Road' },
        areaType: 'URBAN',
        distanceKm: 5,
        faultDescription: 'battery warning light',
        category: 'MECHANICAL',
        channel: 'PHONE',
      },
    },
    AGENT,
    agentId,
  );
  expect(order.errors).toBeUndefined();

  const log = await eventually(
    () =>
      sys.gql<{ archiveReads: { totalCount: number; nodes: Read[] } }>(
        READS,
        { filter: { customerId, staffId: agentId } },
        AUDITOR,
      ),
    (r) =>
      !!r.data?.archiveReads.nodes.some((n) => n.channel === 'GRPC') &&
      !!r.data.archiveReads.nodes.some((n) => n.operation === 'Customer.__resolveReference'),
  );
  expect(log.errors).toBeUndefined();
  const nodes = log.data!.archiveReads.nodes;
  const person = { readerId: agentId, readerRoles: ['agent'] };
  expect(nodes).toEqual(
    expect.arrayContaining([
      {
        ...person,
        callerService: null,
        channel: 'GRAPHQL',
        operation: 'Query.customer',
        purpose: 'complaint call about a late repair',
        assetId: null,
      },
      {
        ...person,
        callerService: null,
        channel: 'GRAPHQL',
        operation: 'Customer.assets',
        purpose: 'complaint call about a late repair',
        assetId,
      },
      // The work-order service asks for the asset's entitlement at intake, for the agent.
      {
        ...person,
        callerService: 'workorder',
        channel: 'GRPC',
        operation: 'GetServiceEntitlement',
        purpose: 'method GetServiceEntitlement',
        assetId,
      },
      // The gateway fetches the order's customer from this subgraph: the operation is the purpose.
      {
        ...person,
        callerService: null,
        channel: 'GRAPHQL',
        operation: 'Customer.__resolveReference',
        purpose: 'operation RepairIntake',
        assetId: null,
      },
    ]),
  );

  const refused = await sys.gql(READS, { filter: { customerId } }, ['technician']);
  expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect(refused.data?.archiveReads ?? null).toBeNull();
});
