import { type Identity, type PromiseClient, uuidv7 } from '@aftercare/kit';
import { customerV1 as pb } from '@aftercare/proto';
import {
  dbQuery,
  subgraphData,
  subgraphRequest,
  testGrpcClient,
  testServiceEnv,
  statementsIn,
} from '@aftercare/testkit';
import { loadCustomerConfig, startCustomerService } from '../../src';
import { customerForThisFile, customerWithVehicle } from './for-this-file';

// R-CU-4 the read log on real PostgreSQL: every read of a customer or asset file, through the
// graph or over gRPC, is logged with who, when, what and why, written in batches; auditors page
// through it and export it; the table refuses changes.
const s = customerForThisFile('customer-read-log', { READ_LOG_FLUSH_MS: '100' });

const agent: Identity = { userId: 'agent-7', roles: ['agent'] };
const technician: Identity = { userId: 'tech-7', roles: ['technician'] };
const auditor: Identity = { userId: 'aud-7', roles: ['auditor'] };
const surveyService: Identity = { userId: 'survey-service', roles: ['service'] };

interface Row {
  reader_id: string;
  reader_roles: string[];
  caller_service: string | null;
  channel: string;
  operation: string;
  purpose: string;
  customer_id: string | null;
  asset_id: string | null;
  read_at: Date;
}

const gql = <T = Record<string, unknown>>(query: string, variables: object, who: Identity) =>
  subgraphData<T>(s.service.httpPort, query, variables, who);
const db = () => s.env.env.DATABASE_URL!;
/** The log rows of a file once every buffered read is written. */
async function readsOf(column: 'customer_id' | 'asset_id', id: string): Promise<Row[]> {
  await s.deps.readLog.flush();
  return dbQuery<Row>(db(), `SELECT * FROM archive_read_log WHERE ${column} = $1 ORDER BY id`, [
    id,
  ]);
}
const pick = (rows: Row[]) =>
  rows.map(
    ({ reader_id, reader_roles, caller_service, channel, operation, purpose, asset_id }) => ({
      reader_id,
      reader_roles,
      caller_service,
      channel,
      operation,
      purpose,
      asset_id,
    }),
  );

const newFile = (name = 'Read Log Customer') => customerWithVehicle(s, agent, name, '13600001111');

const CUSTOMER_FILE = `query ComplaintLookup($id: ID!, $purpose: String) {
  customer(id: $id, purpose: $purpose) {
    name
    assets { nodes { id entitlement { kind } } }
    contactLog { totalCount }
  }
}`;

describe('R-CU-4 reads through the graph', () => {
  it('R-CU-4 a staff read of a customer file is logged with who, when, what and the purpose given', async () => {
    const { customerId, assetId } = await newFile();
    const before = new Date();
    await gql(CUSTOMER_FILE, { id: customerId, purpose: '  complaint call CMP-2026-0042 ' }, agent);
    const rows = await readsOf('customer_id', customerId);
    const who = {
      reader_id: 'agent-7',
      reader_roles: ['agent'],
      caller_service: null,
      channel: 'graphql',
      purpose: 'complaint call CMP-2026-0042',
    };
    expect(pick(rows)).toEqual(
      expect.arrayContaining([
        { ...who, operation: 'Query.customer', asset_id: null },
        { ...who, operation: 'Customer.assets', asset_id: assetId },
        { ...who, operation: 'Asset.entitlement', asset_id: assetId },
        { ...who, operation: 'Customer.contactLog', asset_id: null },
      ]),
    );
    expect(rows).toHaveLength(4);
    for (const row of rows)
      expect(row.read_at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 5);
  });

  it('R-CU-4 without a purpose the operation name is the purpose; each file once per field and request', async () => {
    const { customerId, assetId } = await newFile();
    await gql(
      `query DispatchBoard($asset: ID!) {
        a: asset(id: $asset) { model customer { id } }
        b: asset(id: $asset) { model }
        c: serviceEntitlement(assetId: $asset) { kind }
      }`,
      { asset: assetId },
      technician,
    );
    const rows = await readsOf('asset_id', assetId);
    expect(rows.map((r) => [r.operation, r.purpose, r.reader_id])).toEqual(
      expect.arrayContaining([
        ['Query.asset', 'operation DispatchBoard', 'tech-7'],
        ['Query.serviceEntitlement', 'operation DispatchBoard', 'tech-7'],
      ]),
    );
    expect(rows).toHaveLength(2);
    const customerRows = await readsOf('customer_id', customerId);
    expect(customerRows.filter((r) => r.operation === 'Asset.customer')).toHaveLength(1);
  });

  it('R-CU-4 search results and entity references from other subgraphs are logged', async () => {
    const name = `Search ${uuidv7()}`;
    const first = await newFile(name);
    const second = await newFile(name);
    await gql(
      `query CallCentreSearch($q: String) { customers(filter: { query: $q }) { nodes { id } } }`,
      { q: name },
      agent,
    );
    await gql(
      `query WorkOrderBoard__customer__0($r: [_Any!]!) {
        _entities(representations: $r) { ... on Customer { name } ... on Asset { model } }
      }`,
      {
        r: [
          { __typename: 'Customer', id: first.customerId },
          { __typename: 'Asset', id: second.assetId },
        ],
      },
      agent,
    );
    const firstRows = await readsOf('customer_id', first.customerId);
    expect(firstRows.map((r) => [r.operation, r.purpose])).toEqual([
      ['Query.customers', 'operation CallCentreSearch'],
      ['Customer.__resolveReference', 'operation WorkOrderBoard'],
    ]);
    const assetRows = await readsOf('asset_id', second.assetId);
    expect(assetRows.map((r) => [r.operation, r.customer_id])).toEqual([
      ['Asset.__resolveReference', second.customerId],
    ]);
  });

  it('R-CU-4 a purpose that is blank, too long or on several lines is BAD_USER_INPUT; nothing is read or logged', async () => {
    const { customerId } = await newFile();
    // Longer than 200 characters, the input policy of every read argument refuses it first.
    for (const [purpose, reason] of [
      ['   ', 'INVALID_PURPOSE'],
      ['line one\nline two', 'INVALID_PURPOSE'],
      ['x'.repeat(201), 'TOO_LONG'],
    ]) {
      const res = await subgraphRequest(
        s.service.httpPort,
        CUSTOMER_FILE,
        { id: customerId, purpose },
        agent,
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason,
        field: 'purpose',
      });
      expect(res.data?.customer).toBeNull();
    }
    expect(await readsOf('customer_id', customerId)).toEqual([]);
  });

  it('R-CU-4 a refused read (technician on the archive handovers) is not logged as read', async () => {
    const { customerId } = await newFile();
    const res = await subgraphRequest(
      s.service.httpPort,
      `query Peek($id: ID!) { customer(id: $id) { archiveHandovers { totalCount } } }`,
      { id: customerId },
      technician,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await readsOf('customer_id', customerId)).map((r) => r.operation)).toEqual([
      'Query.customer',
    ]);
  });
});

describe('R-CU-4 reads over gRPC', () => {
  let forAgent: PromiseClient<typeof pb.CustomerServiceService>;
  let asService: PromiseClient<typeof pb.CustomerServiceService>;
  beforeAll(() => {
    const address = `127.0.0.1:${s.service.grpcPort}`;
    forAgent = testGrpcClient(pb.CustomerServiceClient, address, {
      identity: agent,
      signer: 'workorder',
      timeoutMs: 5000,
    });
    asService = testGrpcClient(pb.CustomerServiceClient, address, {
      identity: surveyService,
      signer: 'survey',
      timeoutMs: 5000,
    });
  });
  afterAll(() => {
    forAgent?.close();
    asService?.close();
  });

  it('R-CU-4 every read method logs the files it answers with, the method, the person and the calling service', async () => {
    const { customerId, assetId } = await newFile();
    await forAgent.getCustomer({ id: customerId });
    await forAgent.batchGetCustomers({ ids: [customerId, uuidv7()] });
    await forAgent.getAsset({ id: assetId });
    await forAgent.batchGetAssets({ ids: [assetId] });
    await forAgent.listAssets({ customerId });
    await forAgent.getServiceEntitlement({ assetId });
    await asService.getCustomer({ id: customerId });
    const rows = await readsOf('customer_id', customerId);
    expect(rows.map((r) => [r.operation, r.asset_id, r.reader_id, r.caller_service])).toEqual([
      ['GetCustomer', null, 'agent-7', 'workorder'],
      ['BatchGetCustomers', null, 'agent-7', 'workorder'],
      ['GetAsset', assetId, 'agent-7', 'workorder'],
      ['BatchGetAssets', assetId, 'agent-7', 'workorder'],
      ['ListAssets', assetId, 'agent-7', 'workorder'],
      ['GetServiceEntitlement', assetId, 'agent-7', 'workorder'],
      ['GetCustomer', null, 'survey-service', 'survey'],
    ]);
    expect(rows.every((r) => r.channel === 'grpc')).toBe(true);
    expect(rows[0]).toMatchObject({ purpose: 'method GetCustomer', reader_roles: ['agent'] });
    expect(rows[6]).toMatchObject({ reader_roles: ['service'] });
  });

  it('R-CU-4 a search over gRPC logs each customer found', async () => {
    const name = `Grpc search ${uuidv7()}`;
    const a = await newFile(name);
    const b = await newFile(name);
    const found = await forAgent.searchCustomers({
      query: name,
      phone: '',
      plateNumber: '',
      vin: '',
      grade: 0,
      pageSize: 10,
      pageToken: '',
    });
    expect(found.customers).toHaveLength(2);
    for (const id of [a.customerId, b.customerId])
      expect((await readsOf('customer_id', id)).map((r) => r.operation)).toEqual([
        'SearchCustomers',
      ]);
  });
});

describe('R-CU-4 written in batches, kept for good', () => {
  const bufferedInserts = async () =>
    statementsIn(await s.service.metrics.render(), {
      kind: 'buffered_insert',
      name: 'archive_read_log',
    });

  it('R-CU-4 many reads are written with a few multi-row INSERTs, not one each', async () => {
    const { customerId } = await newFile();
    await s.deps.readLog.flush();
    const before = await bufferedInserts();
    await Promise.all(
      Array.from({ length: 60 }, () =>
        gql(CUSTOMER_FILE, { id: customerId, purpose: 'batch' }, agent),
      ),
    );
    const rows = await readsOf('customer_id', customerId);
    expect(rows).toHaveLength(240);
    // 60 requests of 4 reads each: a handful of INSERTs (one per flush interval), not 240.
    expect((await bufferedInserts()) - before).toBeLessThanOrEqual(6);
  });

  it('R-CU-4 the table refuses UPDATE, DELETE and TRUNCATE', async () => {
    const { customerId } = await newFile();
    await gql(CUSTOMER_FILE, { id: customerId }, agent);
    expect(await readsOf('customer_id', customerId)).not.toEqual([]);
    for (const sql of [
      `UPDATE archive_read_log SET purpose = 'nothing to see' WHERE customer_id = '${customerId}'`,
      `DELETE FROM archive_read_log WHERE customer_id = '${customerId}'`,
      'TRUNCATE archive_read_log',
    ])
      await expect(dbQuery(db(), sql)).rejects.toThrow(/append-only/);
    expect((await readsOf('customer_id', customerId)).map((r) => r.purpose)).toEqual(
      Array(4).fill('operation ComplaintLookup'),
    );
  });

  it('R-CU-4 reads still buffered are written on graceful shutdown', async () => {
    const env = await testServiceEnv('customer-read-log-stop', {
      ARCHIVE_SCHEDULER: 'false',
      READ_LOG_FLUSH_MS: '60000',
    });
    try {
      const service = await startCustomerService(loadCustomerConfig(env.env));
      const { createCustomer } = await subgraphData<{
        createCustomer: { customer: { id: string } };
      }>(
        service.httpPort,
        `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
        {
          input: {
            kind: 'PERSON',
            name: 'Stop',
            contacts: [{ name: 'Stop', mobile: '13600002222', primary: true }],
            addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' }, primary: true }],
          },
        },
        agent,
      );
      await subgraphData(
        service.httpPort,
        `query { customer(id: "${createCustomer.customer.id}") { name } }`,
        {},
        agent,
      );
      const count = async () =>
        (
          await dbQuery<{ n: string }>(
            env.env.DATABASE_URL!,
            'SELECT count(*) AS n FROM archive_read_log',
          )
        )[0]!.n;
      expect(await count()).toBe('0');
      expect((await service.stop()).ok).toBe(true);
      expect(await count()).toBe('1');
    } finally {
      await env.cleanup();
    }
  });
});

const READS = `query AuditReads($filter: ArchiveReadFilter, $first: Int, $after: String) {
  archiveReads(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { readAt readerId readerRoles callerService channel operation purpose customerId assetId }
  }
}`;
const EXPORT = `query AuditExport($filter: ArchiveReadFilter!) {
  archiveReadExport(filter: $filter) { csv rows from to }
}`;

interface ReadsPage {
  archiveReads: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: {
      readerId: string;
      channel: string;
      operation: string;
      purpose: string;
      assetId: string | null;
    }[];
  };
}

describe('R-CU-4 auditors query and export the read log', () => {
  let file: { customerId: string; assetId: string };
  let start: Date;
  beforeAll(async () => {
    file = await newFile('Audited');
    start = new Date();
    await gql(CUSTOMER_FILE, { id: file.customerId, purpose: 'first call' }, agent);
    await gql(
      `query Later($id: ID!) { asset(id: $id) { model } }`,
      { id: file.assetId },
      technician,
    );
    await s.deps.readLog.flush();
  });

  it('R-CU-4 an auditor pages through the reads of a customer, newest first', async () => {
    const first = await gql<ReadsPage>(
      READS,
      { filter: { customerId: file.customerId }, first: 3 },
      auditor,
    );
    expect(first.archiveReads.totalCount).toBe(5);
    expect(first.archiveReads.nodes[0]).toMatchObject({
      readerId: 'tech-7',
      channel: 'GRAPHQL',
      operation: 'Query.asset',
      purpose: 'operation Later',
      assetId: file.assetId,
    });
    const rest = await gql<ReadsPage>(
      READS,
      {
        filter: { customerId: file.customerId },
        first: 3,
        after: first.archiveReads.pageInfo.endCursor,
      },
      auditor,
    );
    expect(rest.archiveReads.nodes.map((n) => n.purpose)).toEqual(Array(2).fill('first call'));
    expect(rest.archiveReads.pageInfo.hasNextPage).toBe(false);
  });

  it('R-CU-4 filters by asset, staff member and period combine', async () => {
    const byAsset = await gql<ReadsPage>(READS, { filter: { assetId: file.assetId } }, auditor);
    expect(byAsset.archiveReads.totalCount).toBe(3);
    const byStaff = await gql<ReadsPage>(
      READS,
      { filter: { customerId: file.customerId, staffId: 'agent-7' } },
      { userId: 'boss', roles: ['manager'] },
    );
    expect(byStaff.archiveReads.totalCount).toBe(4);
    const before = await gql<ReadsPage>(
      READS,
      { filter: { customerId: file.customerId, to: start.toISOString() } },
      auditor,
    );
    expect(before.archiveReads.totalCount).toBe(0);
  });

  it('R-CU-4 an export of a period is CSV, oldest first', async () => {
    const { archiveReadExport } = await gql<{ archiveReadExport: { csv: string; rows: number } }>(
      EXPORT,
      {
        filter: {
          customerId: file.customerId,
          from: start.toISOString(),
          to: new Date(start.getTime() + 60 * 60_000).toISOString(),
        },
      },
      auditor,
    );
    expect(archiveReadExport.rows).toBe(5);
    const lines = archiveReadExport.csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'read_at,reader_id,reader_roles,caller_service,channel,operation,purpose,customer_id,asset_id',
    );
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(
      new RegExp(
        `^[0-9TZ:.-]+,agent-7,agent,,graphql,Query\\.customer,first call,${file.customerId},$`,
      ),
    );
    expect(lines[5]).toContain(`,tech-7,technician,,graphql,Query.asset,operation Later,`);
  });

  it('R-CU-4 a technician or an agent cannot read the log; refused before anything is looked up', async () => {
    const statements = async () =>
      statementsIn(await s.service.metrics.render(), { name: /AuditReads|AuditExport/ });
    const before = await statements();
    for (const who of [technician, agent]) {
      for (const [query, variables] of [
        [READS, { filter: { customerId: file.customerId } }],
        [EXPORT, { filter: { from: start.toISOString(), to: new Date().toISOString() } }],
      ] as const) {
        const res = await subgraphRequest(s.service.httpPort, query, variables, who);
        expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
    }
    expect(await statements()).toBe(before);
  });

  it('R-CU-4 bad filters are BAD_USER_INPUT with the reason and the field', async () => {
    const now = new Date();
    const cases: [string, object, string, string][] = [
      [READS, { filter: { customerId: 'nope' } }, 'INVALID_ID', 'filter.customerId'],
      [READS, { filter: { assetId: '42' } }, 'INVALID_ID', 'filter.assetId'],
      [
        READS,
        { filter: { from: now.toISOString(), to: start.toISOString() } },
        'INVALID_PERIOD',
        'filter.to',
      ],
      [READS, { first: 0 }, 'INVALID_PAGE_SIZE', 'first'],
      [EXPORT, { filter: { customerId: file.customerId } }, 'PERIOD_REQUIRED', 'filter.from'],
      [
        EXPORT,
        { filter: { from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' } },
        'PERIOD_TOO_LONG',
        'filter.to',
      ],
    ];
    for (const [query, variables, reason, field] of cases) {
      const res = await subgraphRequest(s.service.httpPort, query, variables, auditor);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason, field });
    }
  });
});
