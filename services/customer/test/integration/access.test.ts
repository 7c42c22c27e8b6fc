import { type Identity, uuidv7 } from '@aftercare/kit';
import { customerV1 } from '@aftercare/proto';
import {
  anonymousSubgraphRequest,
  declaredRoleRefusals,
  grpcOutsiderCodes,
  outsiderCodes,
  rootFieldNames,
  rootFieldProbes,
  rowCount,
  subgraphData,
  subgraphRequest,
  type TestServiceEnv,
  testServiceEnv,
} from '@aftercare/testkit';
import { loadCustomerConfig, SCHEMA_PATH, startCustomerService } from '../../src';
import { CUSTOMER_GRPC_ROLES } from '../../src/grpc/handlers';

// Every GraphQL operation of the customer subgraph checks who calls: the auditor reads only, and
// nobody unauthenticated reads or writes anything (archives are confidential, R-CU-4). The lists
// are checked against the schema, so a new field cannot be added without being listed here.
let env: TestServiceEnv;
let service: Awaited<ReturnType<typeof startCustomerService>>;

beforeAll(async () => {
  env = await testServiceEnv('customer-access', { ARCHIVE_SCHEDULER: 'false' });
  service = await startCustomerService(loadCustomerConfig(env.env));
});
afterAll(async () => {
  await service?.stop();
  await env?.cleanup();
});

const ID = uuidv7();
const MUTATIONS: Record<string, string> = {
  createCustomer: `createCustomer(input: { kind: PERSON, name: "n", contacts: [], addresses: [] }) { customer { id } }`,
  updateCustomer: `updateCustomer(input: { id: "${ID}", name: "n" }) { customer { id } }`,
  registerAsset: `registerAsset(input: { customerId: "${ID}", kind: VEHICLE, model: "m" }) { asset { id } }`,
  logContact: `logContact(input: { customerId: "${ID}", channel: PHONE, direction: INBOUND, purpose: CONSULTATION, summary: "s" }) { entry { id } }`,
  recordAssetSale: `recordAssetSale(input: { assetId: "${ID}" }) { handover { id } }`,
  receiveArchiveHandover: `receiveArchiveHandover(input: { handoverId: "${ID}", handedOverBy: "s", documents: [] }) { handover { id } }`,
  recordAssetReading: `recordAssetReading(input: { assetId: "${ID}", mileageKm: 1 }) { asset { id } }`,
  recordAssetMaintenance: `recordAssetMaintenance(input: { assetId: "${ID}" }) { asset { id } }`,
  recordAssetUnitSwap: `recordAssetUnitSwap(input: { assetId: "${ID}", module: "m", oldSerialNumber: "a", newSerialNumber: "b" }) { asset { id } }`,
  renewAssetContract: `renewAssetContract(input: { assetId: "${ID}", number: "n", startDate: "2027-01-01", endDate: "2028-01-01" }) { asset { id } }`,
  extendAssetContract: `extendAssetContract(input: { assetId: "${ID}", endDate: "2028-01-01" }) { asset { id } }`,
  transferAsset: `transferAsset(input: { assetId: "${ID}", newCustomerId: "${ID}", reason: "r" }) { asset { id } }`,
  startAssetWarranty: `startAssetWarranty(input: { assetId: "${ID}", startDate: "2027-01-01" }) { asset { id } }`,
  requestArchiveLoan: `requestArchiveLoan(input: { customerId: "${ID}", purpose: "p", dueOn: "2027-01-01" }) { loan { id } }`,
  approveArchiveLoan: `approveArchiveLoan(input: { loanId: "${ID}" }) { loan { id } }`,
  rejectArchiveLoan: `rejectArchiveLoan(input: { loanId: "${ID}", reason: "r" }) { loan { id } }`,
  lendArchiveLoan: `lendArchiveLoan(input: { loanId: "${ID}" }) { loan { id } }`,
  returnArchiveLoan: `returnArchiveLoan(input: { loanId: "${ID}", condition: INTACT }) { loan { id } }`,
  cancelArchiveLoan: `cancelArchiveLoan(input: { loanId: "${ID}", reason: "r" }) { loan { id } }`,
  requestArchiveDestruction: `requestArchiveDestruction(input: { customerId: "${ID}", reason: "r" }) { destruction { id } }`,
  approveArchiveDestruction: `approveArchiveDestruction(input: { destructionId: "${ID}" }) { destruction { id } }`,
  rejectArchiveDestruction: `rejectArchiveDestruction(input: { destructionId: "${ID}", reason: "r" }) { destruction { id } }`,
};
const QUERIES: Record<string, string> = {
  customer: `customer(id: "${ID}") { id }`,
  customers: `customers { totalCount }`,
  asset: `asset(id: "${ID}") { id }`,
  serviceEntitlement: `serviceEntitlement(assetId: "${ID}") { kind }`,
  archiveHandover: `archiveHandover(id: "${ID}") { id }`,
  incompleteCustomerFiles: `incompleteCustomerFiles { totalCount }`,
  archiveReads: `archiveReads { totalCount }`,
  archiveReadExport: `archiveReadExport(filter: { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" }) { rows }`,
  archiveLoan: `archiveLoan(id: "${ID}") { id }`,
  archiveLoans: `archiveLoans { totalCount }`,
  customerFilesPastRetention: `customerFilesPastRetention { totalCount }`,
  archiveDestruction: `archiveDestruction(id: "${ID}") { id }`,
  archiveDestructions: `archiveDestructions { totalCount }`,
};

const rootFields = (type: 'Query' | 'Mutation') => rootFieldNames(SCHEMA_PATH, type);
const anonymous = (query: string) => anonymousSubgraphRequest(service.httpPort, query);

const tables = [
  'customer',
  'customer_change',
  'asset',
  'asset_change',
  'contact_log',
  'archive_handover',
  'archive_document',
  'archive_loan',
  'archive_loan_step',
  'archive_destruction',
  'outbox',
];
const counts = () => Promise.all(tables.map((t) => rowCount(env.env.DATABASE_URL!, t)));

it('every mutation is refused to the auditor (read-only) and to an anonymous caller, writing nothing', async () => {
  expect(Object.keys(MUTATIONS).sort()).toEqual(rootFields('Mutation'));
  const before = await counts();
  const auditor: Identity = { userId: 'aud-1', roles: ['auditor'] };
  for (const [name, field] of Object.entries(MUTATIONS)) {
    const asAuditor = await subgraphRequest(service.httpPort, `mutation { ${field} }`, {}, auditor);
    expect([name, asAuditor.errors?.[0]?.extensions?.code]).toEqual([name, 'FORBIDDEN']);
    const asNobody = await anonymous(`mutation { ${field} }`);
    expect([name, asNobody.errors?.[0]?.extensions?.code]).toEqual([name, 'UNAUTHENTICATED']);
  }
  expect(await counts()).toEqual(before);
});

it('every query (and entity reference) is refused to an anonymous caller', async () => {
  expect(Object.keys(QUERIES).sort()).toEqual(rootFields('Query'));
  for (const [name, field] of Object.entries(QUERIES)) {
    const res = await anonymous(`{ ${field} }`);
    expect([name, res.errors?.[0]?.extensions?.code]).toEqual([name, 'UNAUTHENTICATED']);
  }
  for (const typename of ['Customer', 'Asset']) {
    const res = await anonymous(
      `{ _entities(representations: [{ __typename: "${typename}", id: "${ID}" }]) { __typename } }`,
    );
    expect([typename, res.errors?.[0]?.extensions?.code]).toEqual([typename, 'UNAUTHENTICATED']);
  }
});

it('R-CU-4 archives reached through a customer or an asset need an archive role too', async () => {
  const agent: Identity = { userId: 'sales-1', roles: ['agent'] };
  const { createCustomer } = await subgraphData<{ createCustomer: { customer: { id: string } } }>(
    service.httpPort,
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
    {
      input: {
        kind: 'PERSON',
        name: 'Access Customer',
        contacts: [{ name: 'Access Customer', mobile: '13500002222', primary: true }],
        addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' }, primary: true }],
      },
    },
    agent,
  );
  const customerId = createCustomer.customer.id;
  const { registerAsset } = await subgraphData<{ registerAsset: { asset: { id: string } } }>(
    service.httpPort,
    `mutation($input: RegisterAssetInput!) { registerAsset(input: $input) { asset { id } } }`,
    { input: { customerId, kind: 'VEHICLE', model: 'EV-300', serialNumber: `SN-${uuidv7()}` } },
    agent,
  );
  const assetId = registerAsset.asset.id;
  await subgraphData(
    service.httpPort,
    `mutation($input: RecordAssetSaleInput!) { recordAssetSale(input: $input) { handover { id } } }`,
    { input: { assetId } },
    agent,
  );
  const nested = `query($c: ID!, $a: ID!) {
    customer(id: $c) { archiveHandovers { nodes { id } } fileCompleteness { status } archiveLoans { totalCount } archiveDestructions { totalCount } }
    asset(id: $a) { archiveHandovers { nodes { id } } }
  }`;
  const vars = { c: customerId, a: assetId };
  // Technicians and dispatchers read customers and assets, not their archives.
  for (const role of ['technician', 'dispatcher'] as const) {
    const res = await subgraphRequest(service.httpPort, nested, vars, {
      userId: `${role}-1`,
      roles: [role],
    });
    expect([role, res.errors?.map((e) => e.extensions?.code)]).toEqual([
      role,
      ['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ]);
  }
  const audited = await subgraphData<{
    customer: { archiveHandovers: { nodes: unknown[] }; fileCompleteness: { status: string } };
    asset: { archiveHandovers: { nodes: unknown[] } };
  }>(service.httpPort, nested, vars, { userId: 'aud-1', roles: ['auditor'] });
  expect(audited.customer.archiveHandovers.nodes).toHaveLength(1);
  // R-CU-6 the file's completeness is archive state too; no visit yet, so no clock runs.
  expect(audited.customer.fileCompleteness).toEqual({ status: 'OPEN' });
  expect(audited.asset.archiveHandovers.nodes).toHaveLength(1);
});

const allProbes = () => [
  ...rootFieldProbes(SCHEMA_PATH, 'Query'),
  ...rootFieldProbes(SCHEMA_PATH, 'Mutation'),
];

it('every root field refuses a caller holding none of the roles it declares (@access), writing nothing', async () => {
  const before = await counts();
  const codes = await outsiderCodes(service.httpPort, allProbes());
  expect(codes).toEqual(codes.map(([field]) => [field, 'FORBIDDEN']));
  expect(await counts()).toEqual(before);
});

it('every role a root field declares gets past the role checks of its use case (docs/access.md promises nothing the code refuses)', async () => {
  expect(await declaredRoleRefusals(service.httpPort, allProbes())).toEqual([]);
});

it('every gRPC method refuses a caller holding none of its roles before looking at the request (an empty one here)', async () => {
  const codes = await grpcOutsiderCodes(
    customerV1.CustomerServiceClient,
    `127.0.0.1:${service.grpcPort}`,
    CUSTOMER_GRPC_ROLES,
  );
  expect(codes.length).toBeGreaterThan(0);
  expect(codes).toEqual(codes.map(([method]) => [method, 'PERMISSION_DENIED']));
});
