import { AppError, type Identity, type PromiseClient } from '@aftercare/kit';
import { customerV1 as pb } from '@aftercare/proto';
import {
  rowCount,
  subgraphData,
  subgraphRequest,
  type TestServiceEnv,
  testServiceEnv,
  testGrpcClient,
} from '@aftercare/testkit';
import { loadCustomerConfig, startCustomerService } from '../../src';

// Issue 11: hostile input reached PostgreSQL or date arithmetic and came back as an internal error.
// The kit's input policy (docs/input-policy.md) refuses it at the edge with the field and a
// reason, and writes nothing.
const agent: Identity = { userId: 'agent-1', roles: ['agent'] };
let env: TestServiceEnv;
let service: Awaited<ReturnType<typeof startCustomerService>>;
let grpc: PromiseClient<typeof pb.CustomerServiceService>;
let customerId: string;

beforeAll(async () => {
  env = await testServiceEnv('customer-input', { ARCHIVE_SCHEDULER: 'false' });
  service = await startCustomerService(loadCustomerConfig(env.env));
  grpc = testGrpcClient(pb.CustomerServiceClient, `127.0.0.1:${service.grpcPort}`, {
    identity: agent,
  });
  const created = await subgraphData<{ createCustomer: { customer: { id: string } } }>(
    service.httpPort,
    CREATE,
    { input: customerInput({}) },
    agent,
  );
  customerId = created.createCustomer.customer.id;
});
afterAll(async () => {
  grpc?.close();
  await service?.stop();
  await env?.cleanup();
});

const CREATE = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`;
const REGISTER = `mutation ($input: RegisterAssetInput!) { registerAsset(input: $input) { asset { id nextMaintenanceDue } } }`;

const customerInput = (over: Record<string, unknown>) => ({
  kind: 'PERSON',
  name: 'Zhang Wei',
  contacts: [{ name: 'Zhang Wei', mobile: '13800138000' }],
  addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' } }],
  ...over,
});
const assetInput = (over: Record<string, unknown>) => ({
  customerId,
  kind: 'VEHICLE',
  model: 'EV-9',
  vin: 'LSVAU2180N2183294',
  purchaseDate: '2026-03-01',
  ...over,
});

const tables = ['customer', 'asset', 'contact_log', 'customer_change', 'outbox'];
const counts = () => Promise.all(tables.map((t) => rowCount(env.env.DATABASE_URL!, t)));

async function refusal(query: string, variables: object) {
  const before = await counts();
  const body = await subgraphRequest(service.httpPort, query, variables, agent);
  expect(await counts()).toEqual(before);
  return body.errors?.[0]?.extensions;
}

async function grpcRefusal(call: Promise<unknown>): Promise<AppError> {
  const before = await counts();
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(await counts()).toEqual(before);
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

it('issue 11: a NUL byte in a text of a mutation is BAD_USER_INPUT TEXT_CONTAINS_NUL, nothing written', async () => {
  const input = customerInput({ contacts: [{ name: 'Zhang\u0000Wei', mobile: '13800138000' }] });
  expect(await refusal(CREATE, { input })).toEqual({
    code: 'BAD_USER_INPUT',
    reason: 'TEXT_CONTAINS_NUL',
    field: 'contacts.0.name',
  });
});

it('issue 11: a lone surrogate that would reach the outbox JSON is BAD_USER_INPUT TEXT_INVALID_UNICODE, nothing written', async () => {
  expect(await refusal(CREATE, { input: customerInput({ name: 'Zhang \ud800Wei' }) })).toEqual({
    code: 'BAD_USER_INPUT',
    reason: 'TEXT_INVALID_UNICODE',
    field: 'name',
  });
});

it('issue 11: maintenanceCycleDays 2147483647 is BAD_USER_INPUT OUT_OF_RANGE (at most ten years), nothing written', async () => {
  const input = assetInput({ maintenanceCycleDays: 2147483647 });
  expect(await refusal(REGISTER, { input })).toEqual({
    code: 'BAD_USER_INPUT',
    reason: 'OUT_OF_RANGE',
    field: 'maintenanceCycleDays',
  });
});

it('issue 11: lastMaintenance 9999-12-31 is BAD_USER_INPUT DATE_OUT_OF_RANGE, and an impossible date INVALID_DATE', async () => {
  const farOff = assetInput({ maintenanceCycleDays: 180, lastMaintenance: '9999-12-31' });
  expect(await refusal(REGISTER, { input: farOff })).toEqual({
    code: 'BAD_USER_INPUT',
    reason: 'DATE_OUT_OF_RANGE',
    field: 'lastMaintenance',
  });
  expect(await refusal(REGISTER, { input: assetInput({ purchaseDate: '2026-02-30' }) })).toEqual({
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_DATE',
    field: 'purchaseDate',
  });
});

it('a next maintenance due beyond 2199 is refused on the cycle that leads there, never an Invalid Date', async () => {
  const input = assetInput({ maintenanceCycleDays: 3650, lastMaintenance: '2199-06-30' });
  expect(await refusal(REGISTER, { input })).toEqual({
    code: 'BAD_USER_INPUT',
    reason: 'DATE_OUT_OF_RANGE',
    field: 'maintenanceCycleDays',
  });
  const ok = await subgraphData<{ registerAsset: { asset: { nextMaintenanceDue: string } } }>(
    service.httpPort,
    REGISTER,
    { input: assetInput({ maintenanceCycleDays: 3650, lastMaintenance: '2026-01-01' }) },
    agent,
  );
  expect(ok.registerAsset.asset.nextMaintenanceDue).toBe('2035-12-30');
});

it('issue 11: a 1 MB customer search string is refused at once as TOO_LONG (search terms: 200 characters)', async () => {
  const started = performance.now();
  const body = await subgraphRequest(
    service.httpPort,
    'query ($filter: CustomerFilter) { customers(filter: $filter) { totalCount } }',
    { filter: { query: 'x'.repeat(1_000_000) } },
    agent,
  );
  expect(performance.now() - started).toBeLessThan(1000);
  expect(body.errors?.[0]?.extensions).toEqual({
    code: 'BAD_USER_INPUT',
    reason: 'TOO_LONG',
    field: 'filter.query',
  });
});

it('issue 11: gRPC refuses a NUL in a string with INVALID_ARGUMENT, the reason and the field, nothing written', async () => {
  const error = await grpcRefusal(
    grpc.logContact({
      customerId,
      channel: pb.ContactChannel.CONTACT_CHANNEL_PHONE,
      direction: pb.ContactDirection.CONTACT_DIRECTION_INBOUND,
      purpose: pb.ContactPurpose.CONTACT_PURPOSE_CONSULTATION,
      summary: 'called about\u0000the car',
      customerRequest: '',
      staffId: '',
      reference: '',
      idempotencyKey: '',
    }),
  );
  expect(error).toMatchObject({
    code: 'INVALID_ARGUMENT',
    reason: 'TEXT_CONTAINS_NUL',
    field: 'summary',
  });
});

it('issue 11: gRPC RegisterAsset is held to the same dates and cycle as GraphQL', async () => {
  const request = (over: Partial<pb.RegisterAssetRequest>) =>
    pb.RegisterAssetRequest.create({
      customerId,
      kind: pb.AssetKind.ASSET_KIND_VEHICLE,
      model: 'EV-9',
      vin: 'LSVAU2180N2183294',
      purchaseDate: '2026-03-01',
      ...over,
    });
  const farOff = request({ maintenanceCycleDays: 180, lastMaintenance: '9999-12-31' });
  expect(await grpcRefusal(grpc.registerAsset(farOff))).toMatchObject({
    code: 'INVALID_ARGUMENT',
    reason: 'DATE_OUT_OF_RANGE',
    field: 'lastMaintenance',
  });
  const huge = request({ maintenanceCycleDays: 2147483647 });
  expect(await grpcRefusal(grpc.registerAsset(huge))).toMatchObject({
    code: 'INVALID_ARGUMENT',
    reason: 'OUT_OF_RANGE',
    field: 'maintenanceCycleDays',
  });
});
