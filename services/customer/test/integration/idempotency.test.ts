import type { Identity, PromiseClient } from '@aftercare/kit';
import { customerV1 as pb } from '@aftercare/proto';
import {
  grpcCreate,
  type IdempotentCreate,
  idempotentCreateChecks,
  rowCount,
  subgraphCreate,
  testGrpcClient,
  subgraphData,
  type TestServiceEnv,
  testServiceEnv,
} from '@aftercare/testkit';
import { loadCustomerConfig, startCustomerService } from '../../src';

// Issue 11: every create of the customer service takes an idempotency key, over GraphQL and gRPC.
let env: TestServiceEnv;
let service: Awaited<ReturnType<typeof startCustomerService>>;
let client: PromiseClient<typeof pb.CustomerServiceService>;
let ownerId: string;

const agent: Identity = { userId: 'agent-idem', roles: ['agent'] };

beforeAll(async () => {
  env = await testServiceEnv('customer-idem');
  service = await startCustomerService(loadCustomerConfig(env.env));
  client = testGrpcClient(pb.CustomerServiceClient, `127.0.0.1:${service.grpcPort}`, {
    identity: agent,
    timeoutMs: 20_000,
  });
  ownerId = await newCustomerId('Owner');
});

afterAll(async () => {
  client?.close();
  await service?.stop();
  await env?.cleanup();
});

const todayHere = () => service.config.calendar.localDate(new Date());
const rows = (table: string) => () => rowCount(env.env.DATABASE_URL!, table);
const httpPort = () => service.httpPort;

const customerInput = (name: string) => ({
  kind: 'PERSON',
  name,
  contacts: [{ name, mobile: '13500001111', primary: true }],
  addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' }, primary: true }],
});

async function newCustomerId(name: string): Promise<string> {
  const data = await subgraphData<{ createCustomer: { customer: { id: string } } }>(
    httpPort(),
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
    { input: customerInput(name) },
    agent,
  );
  return data.createCustomer.customer.id;
}

// One asset per variant, made once however many calls of that variant run at once.
const assetsOfVariant = new Map<number, Promise<string>>();
const assetOf = (variant: number) => {
  if (!assetsOfVariant.has(variant))
    assetsOfVariant.set(
      variant,
      subgraphData<{ registerAsset: { asset: { id: string } } }>(
        httpPort(),
        `mutation($input: RegisterAssetInput!) { registerAsset(input: $input) { asset { id } } }`,
        {
          input: {
            customerId: ownerId,
            kind: 'VEHICLE',
            model: 'EV',
            serialNumber: `SOLD-${variant}`,
          },
        },
        agent,
      ).then((d) => d.registerAsset.asset.id),
    );
  return assetsOfVariant.get(variant)!;
};

// R-CU-4 one open loan per file: each variant borrows its own customer's file.
const customersOfVariant = new Map<number, Promise<string>>();
const customerOf = (variant: number) => {
  if (!customersOfVariant.has(variant))
    customersOfVariant.set(variant, newCustomerId(`Loan ${variant}`));
  return customersOfVariant.get(variant)!;
};

const grpcCustomer = (variant: number, key = '') =>
  pb.CreateCustomerRequest.create({
    kind: pb.CustomerKind.CUSTOMER_KIND_PERSON,
    name: `gRPC customer ${variant}`,
    contacts: [{ name: 'Li', mobile: '13900001111', primary: true }],
    addresses: [{ region: { province: 'Jiangsu', city: 'Suzhou' }, primary: true }],
    idempotencyKey: key,
  });

const grpcContact = (variant: number, key = '') =>
  pb.LogContactRequest.create({
    customerId: ownerId,
    channel: pb.ContactChannel.CONTACT_CHANNEL_PHONE,
    direction: pb.ContactDirection.CONTACT_DIRECTION_OUTBOUND,
    purpose: pb.ContactPurpose.CONTACT_PURPOSE_FOLLOW_UP,
    summary: `follow-up call ${variant}`,
    idempotencyKey: key,
  });

const creates: [string, IdempotentCreate][] = [
  [
    'createCustomer (GraphQL)',
    {
      concurrency: 50,
      rows: rows('customer'),
      call: subgraphCreate<{ createCustomer: { customer: { id: string } } }>({
        httpPort,
        caller: agent,
        query: `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
        variables: (v, key) => ({
          input: { ...customerInput(`Customer ${v}`), idempotencyKey: key },
        }),
        id: (d) => d.createCustomer.customer.id,
      }),
    },
  ],
  [
    'registerAsset (GraphQL)',
    {
      rows: rows('asset'),
      call: subgraphCreate<{ registerAsset: { asset: { id: string } } }>({
        httpPort,
        caller: agent,
        query: `mutation($input: RegisterAssetInput!) { registerAsset(input: $input) { asset { id } } }`,
        variables: (v, key) => ({
          input: {
            customerId: ownerId,
            kind: 'EQUIPMENT',
            model: 'Lift',
            serialNumber: `LIFT-${v}`,
            idempotencyKey: key,
          },
        }),
        id: (d) => d.registerAsset.asset.id,
      }),
    },
  ],
  [
    'logContact (GraphQL)',
    {
      rows: rows('contact_log'),
      call: subgraphCreate<{ logContact: { entry: { id: string } } }>({
        httpPort,
        caller: agent,
        query: `mutation($input: LogContactInput!) { logContact(input: $input) { entry { id } } }`,
        variables: (v, key) => ({
          input: {
            customerId: ownerId,
            channel: 'PHONE',
            direction: 'INBOUND',
            purpose: 'CONSULTATION',
            summary: `asked about the warranty (${v})`,
            idempotencyKey: key,
          },
        }),
        id: (d) => d.logContact.entry.id,
      }),
    },
  ],
  [
    'recordAssetSale (GraphQL)',
    {
      rows: rows('archive_handover'),
      call: async (v, key) => {
        const assetId = await assetOf(v);
        return subgraphCreate<{ recordAssetSale: { handover: { id: string } } }>({
          httpPort,
          caller: agent,
          query: `mutation($input: RecordAssetSaleInput!) { recordAssetSale(input: $input) { handover { id } } }`,
          variables: () => ({ input: { assetId, idempotencyKey: key } }),
          id: (d) => d.recordAssetSale.handover.id,
        })(v, key);
      },
    },
  ],
  [
    'requestArchiveLoan (GraphQL)',
    {
      rows: rows('archive_loan'),
      call: async (v, key) => {
        const customerId = await customerOf(v);
        return subgraphCreate<{ requestArchiveLoan: { loan: { id: string } } }>({
          httpPort,
          caller: agent,
          query: `mutation($input: RequestArchiveLoanInput!) { requestArchiveLoan(input: $input) { loan { id } } }`,
          variables: () => ({
            input: {
              customerId,
              purpose: 'warranty claim',
              dueOn: todayHere(),
              idempotencyKey: key,
            },
          }),
          id: (d) => d.requestArchiveLoan.loan.id,
        })(v, key);
      },
    },
  ],
  [
    'CreateCustomer (gRPC)',
    {
      rows: rows('customer'),
      call: (v, key) =>
        grpcCreate(
          client.createCustomer(grpcCustomer(v, key)).then(({ customer }) => customer!.id),
        ),
    },
  ],
  [
    'RegisterAsset (gRPC)',
    {
      rows: rows('asset'),
      call: (v, key) =>
        grpcCreate(
          client
            .registerAsset(
              pb.RegisterAssetRequest.create({
                customerId: ownerId,
                kind: pb.AssetKind.ASSET_KIND_EQUIPMENT,
                model: 'Compressor',
                serialNumber: `COMP-${v}`,
                idempotencyKey: key,
              }),
            )
            .then(({ asset }) => asset!.id),
        ),
    },
  ],
  [
    'LogContact (gRPC)',
    {
      concurrency: 50,
      rows: rows('contact_log'),
      call: (v, key) =>
        grpcCreate(client.logContact(grpcContact(v, key)).then(({ entry }) => entry!.id)),
    },
  ],
];

describe.each(creates)('idempotent %s', (_name, create) => {
  it.each(idempotentCreateChecks)('%s', (_title, check) => check(create));
});

describe('LogContact under concurrency (issue 11 finding 5)', () => {
  it('50 concurrent gRPC LogContact calls with one idempotency key: 50 OK, one entry', async () => {
    const before = await rows('contact_log')();
    const request = grpcContact(0, `survey-call:${ownerId}`);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => client.logContact(request)),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const ids = new Set(
      results.map((r) => (r as PromiseFulfilledResult<pb.LogContactResponse>).value.entry!.id),
    );
    expect(ids.size).toBe(1);
    expect(await rows('contact_log')()).toBe(before + 1);
  });

  it('a key is the caller’s own: another caller with the same key logs its own entry', async () => {
    const request = grpcContact(1, 'shared-key');
    const mine = await client.logContact(request);
    const theirs = await client.logContact(request, {
      identity: { userId: 'agent-other', roles: ['agent'] },
    });
    expect(theirs.entry!.id).not.toBe(mine.entry!.id);
  });
});
