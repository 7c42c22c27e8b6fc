import { AppError, type Identity, type PromiseClient } from '@aftercare/kit';
import { customerV1 as pb, healthV1 } from '@aftercare/proto';
import {
  type TestServiceEnv,
  testServiceEnv,
  dbQuery,
  rowCount,
  statementsIn,
  testGrpcClient,
} from '@aftercare/testkit';
import { loadCustomerConfig, startCustomerService } from '../../src';

const agent: Identity = { userId: 'agent-1', roles: ['agent'] };
const technician: Identity = { userId: 'tech-1', roles: ['technician'] };
const auditor: Identity = { userId: 'aud-1', roles: ['auditor'] };

let env: TestServiceEnv;
let service: Awaited<ReturnType<typeof startCustomerService>>;
let client: PromiseClient<typeof pb.CustomerServiceService>;

beforeAll(async () => {
  env = await testServiceEnv('customer-grpc');
  service = await startCustomerService(loadCustomerConfig(env.env));
  client = testGrpcClient(pb.CustomerServiceClient, `127.0.0.1:${service.grpcPort}`, {
    identity: agent,
    timeoutMs: 5000,
  });
});

afterAll(async () => {
  client?.close();
  await service?.stop();
  await env?.cleanup();
});

const newCustomer = (over: Partial<pb.CreateCustomerRequest> = {}): pb.CreateCustomerRequest => ({
  kind: pb.CustomerKind.CUSTOMER_KIND_PERSON,
  name: 'Li Na',
  grade: pb.CustomerGrade.CUSTOMER_GRADE_B,
  tags: ['fleet'],
  contacts: [
    {
      name: 'Li Na',
      role: 'owner',
      mobile: '13912345678',
      phone: '',
      email: 'li.na@example.com',
      primary: true,
    },
  ],
  addresses: [
    {
      region: { province: 'Jiangsu', city: 'Suzhou', district: 'Gusu' },
      line: '8 Pingjiang Road',
      postalCode: '215000',
      primary: true,
    },
  ],
  responsibleStaffId: 'agent-1',
  idempotencyKey: '',
  ...over,
});

async function expectAppError(p: Promise<unknown>, expected: Partial<AppError>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect(err).toMatchObject(expected);
}

describe('customer gRPC API (real server, real PostgreSQL)', () => {
  it('R-CU-1 creates, gets, batch-gets and searches customers by name, phone, region and grade', async () => {
    const { customer } = await client.createCustomer(newCustomer());
    expect(customer?.code).toMatch(/^CUS-\d{6}$/);
    expect(customer?.region).toEqual({ province: 'Jiangsu', city: 'Suzhou', district: 'Gusu' });
    const id = customer!.id;

    expect((await client.getCustomer({ id })).customer?.name).toBe('Li Na');
    const other = (
      await client.createCustomer(
        newCustomer({
          name: 'Wang Fang',
          contacts: [
            { name: 'Wang', role: '', mobile: '13700001111', phone: '', email: '', primary: false },
          ],
        }),
      )
    ).customer!;
    const batch = await client.batchGetCustomers({
      ids: [other.id, '0190f0f0-0000-7000-8000-000000000000', id],
    });
    expect(batch.customers.map((c) => c.id)).toEqual([other.id, id]);

    const byPhone = await client.searchCustomers({
      query: '',
      phone: '139 1234 5678',
      plateNumber: '',
      vin: '',
      grade: 0,
      pageSize: 10,
      pageToken: '',
    });
    expect(byPhone.customers.map((c) => c.id)).toEqual([id]);
    const byName = await client.searchCustomers({
      query: 'wang',
      phone: '',
      plateNumber: '',
      vin: '',
      grade: 0,
      pageSize: 10,
      pageToken: '',
    });
    expect(byName.customers.map((c) => c.id)).toEqual([other.id]);
    const byRegion = await client.searchCustomers({
      query: '',
      phone: '',
      plateNumber: '',
      vin: '',
      region: { province: 'Jiangsu', city: 'Suzhou', district: '' },
      grade: pb.CustomerGrade.CUSTOMER_GRADE_B,
      pageSize: 1,
      pageToken: '',
    });
    expect(byRegion.total).toBe(2);
    expect(byRegion.customers).toHaveLength(1);
    const page2 = await client.searchCustomers({
      query: '',
      phone: '',
      plateNumber: '',
      vin: '',
      region: { province: 'Jiangsu', city: 'Suzhou', district: '' },
      grade: pb.CustomerGrade.CUSTOMER_GRADE_B,
      pageSize: 1,
      pageToken: byRegion.nextPageToken,
    });
    expect(page2.customers[0]?.id).not.toBe(byRegion.customers[0]?.id);
    expect(page2.nextPageToken).toBe('');
  });

  it('R-CU-1 updates keep history of phone, address and responsible person; stale versions are refused', async () => {
    const { customer } = await client.createCustomer(newCustomer({ name: 'Zhao Lei' }));
    const updated = await client.updateCustomer({
      id: customer!.id,
      expectedVersion: customer!.version,
      grade: 0,
      status: 0,
      tags: [],
      replaceTags: false,
      contacts: [
        { name: 'Zhao Lei', role: '', mobile: '13811112222', phone: '', email: '', primary: true },
      ],
      replaceContacts: true,
      addresses: [],
      replaceAddresses: false,
      responsibleStaffId: 'agent-7',
      reason: 'new phone, new account manager',
    });
    expect(updated.customer?.contacts[0]?.mobile).toBe('13811112222');
    expect(updated.customer?.version).toBe(customer!.version + 1);
    await expectAppError(
      client.updateCustomer({
        id: customer!.id,
        expectedVersion: customer!.version,
        grade: pb.CustomerGrade.CUSTOMER_GRADE_A,
        status: 0,
        tags: [],
        replaceTags: false,
        contacts: [],
        replaceContacts: false,
        addresses: [],
        replaceAddresses: false,
        reason: '',
      }),
      { code: 'FAILED_PRECONDITION', reason: 'VERSION_CONFLICT' },
    );
    const rows = await dbQuery(
      env.env.DATABASE_URL!,
      'SELECT field, reason, changed_by FROM customer_change WHERE customer_id = $1 ORDER BY field',
      [customer!.id],
    );
    expect(rows).toEqual([
      { field: 'contacts', reason: 'new phone, new account manager', changed_by: 'agent-1' },
      {
        field: 'responsibleStaffId',
        reason: 'new phone, new account manager',
        changed_by: 'agent-1',
      },
    ]);
  });

  it('R-CU-2 registers one file per asset and answers the entitlement at three dates', async () => {
    const owner = (
      await client.createCustomer(
        newCustomer({ name: 'Fleet Co', kind: pb.CustomerKind.CUSTOMER_KIND_ORGANISATION }),
      )
    ).customer!;
    const { asset } = await client.registerAsset({
      customerId: owner.id,
      kind: pb.AssetKind.ASSET_KIND_VEHICLE,
      model: 'EV-300',
      serialNumber: '',
      vin: 'LSVAA4187E2123456',
      plateNumber: '苏E 12345',
      purchaseDate: '2025-03-01',
      sellingDealer: 'Suzhou Motors',
      mileageKm: 12000,
      runningHours: 0,
      warrantyStart: '2025-03-01',
      warrantyEnd: '2027-02-28',
      contract: {
        number: 'SC-9',
        kind: 'extended',
        startDate: '2027-03-01',
        endDate: '2028-02-29',
      },
      maintenanceCycleDays: 90,
      lastMaintenance: '',
      idempotencyKey: '',
    });
    expect(asset).toMatchObject({
      vin: 'LSVAA4187E2123456',
      plateNumber: '苏E12345',
      nextMaintenanceDue: '2025-05-30',
    });

    const at = async (iso: string) =>
      client.getServiceEntitlement({ assetId: asset!.id, at: new Date(iso) });
    expect(await at('2026-06-01T08:00:00+08:00')).toMatchObject({
      entitlement: pb.Entitlement.ENTITLEMENT_WARRANTY,
      warrantyEnd: '2027-02-28',
    });
    expect(await at('2027-06-01T08:00:00+08:00')).toMatchObject({
      entitlement: pb.Entitlement.ENTITLEMENT_CONTRACT,
      contractNumber: 'SC-9',
    });
    expect(await at('2028-06-01T08:00:00+08:00')).toMatchObject({
      entitlement: pb.Entitlement.ENTITLEMENT_PAID,
    });
    // Work-order intake asks this on every registration: one plain read, asset and owner's status.
    const statements = async () =>
      statementsIn(await service.metrics.render(), {
        kind: 'grpc',
        name: /\/GetServiceEntitlement$/,
      });
    const before = await statements();
    await at('2026-06-01T08:00:00+08:00');
    expect((await statements()) - before).toBe(1);

    // One asset, one file: the same VIN cannot get a second file.
    await expectAppError(
      client.registerAsset({
        customerId: owner.id,
        kind: pb.AssetKind.ASSET_KIND_VEHICLE,
        model: 'EV-300',
        serialNumber: '',
        vin: 'LSVAA4187E2123456',
        plateNumber: '',
        purchaseDate: '',
        sellingDealer: '',
        mileageKm: 0,
        runningHours: 0,
        warrantyStart: '',
        warrantyEnd: '',
        maintenanceCycleDays: 0,
        lastMaintenance: '',
        idempotencyKey: '',
      }),
      { code: 'ALREADY_EXISTS', reason: 'ASSET_ALREADY_REGISTERED', field: 'vin' },
    );
    const byPlate = await client.searchCustomers({
      query: '',
      phone: '',
      plateNumber: '苏E·12345',
      vin: '',
      grade: 0,
      pageSize: 5,
      pageToken: '',
    });
    expect(byPlate.customers.map((c) => c.id)).toEqual([owner.id]);
    expect((await client.listAssets({ customerId: owner.id })).assets.map((a) => a.id)).toEqual([
      asset!.id,
    ]);
  });

  it('R-CU-5 logs contacts once per idempotency key', async () => {
    const owner = (await client.createCustomer(newCustomer({ name: 'Sun Li' }))).customer!;
    const request: pb.LogContactRequest = {
      customerId: owner.id,
      channel: pb.ContactChannel.CONTACT_CHANNEL_PHONE,
      direction: pb.ContactDirection.CONTACT_DIRECTION_OUTBOUND,
      purpose: pb.ContactPurpose.CONTACT_PURPOSE_FOLLOW_UP,
      summary: 'first follow-up call after repair',
      customerRequest: '',
      staffId: '',
      reference: 'workorder:WO-1',
      idempotencyKey: 'survey:abc:call-1',
    };
    const first = await client.logContact(request);
    const again = await client.logContact(request);
    expect(again.entry?.id).toBe(first.entry?.id);
    expect(first.entry).toMatchObject({ staffId: 'agent-1', reference: 'workorder:WO-1' });
  });

  it('bad input gets a clear error and writes nothing', async () => {
    const before = await rowCount(env.env.DATABASE_URL!, 'customer');
    const outboxBefore = await rowCount(env.env.DATABASE_URL!, 'outbox');
    await expectAppError(client.createCustomer(newCustomer({ name: '' })), {
      code: 'INVALID_ARGUMENT',
      field: 'name',
    });
    await expectAppError(
      client.createCustomer(
        newCustomer({
          contacts: [{ name: 'x', role: '', mobile: '123', phone: '', email: '', primary: false }],
        }),
      ),
      { code: 'INVALID_ARGUMENT', field: 'contacts.0.mobile', reason: 'INVALID_PHONE' },
    );
    await expectAppError(client.createCustomer(newCustomer({ kind: 0 })), {
      code: 'INVALID_ARGUMENT',
      field: 'kind',
    });
    await expectAppError(client.createCustomer(newCustomer({ kind: 99 as pb.CustomerKind })), {
      code: 'INVALID_ARGUMENT',
      field: 'kind',
    });
    await expectAppError(client.getCustomer({ id: 'not-a-uuid' }), {
      code: 'INVALID_ARGUMENT',
      field: 'id',
    });
    await expectAppError(client.getCustomer({ id: '0190f0f0-0000-7000-8000-000000000000' }), {
      code: 'NOT_FOUND',
      reason: 'CUSTOMER_NOT_FOUND',
    });
    await expectAppError(
      client.registerAsset({
        customerId: '0190f0f0-0000-7000-8000-000000000000',
        kind: pb.AssetKind.ASSET_KIND_VEHICLE,
        model: 'x',
        serialNumber: 'S1',
        vin: '',
        plateNumber: '',
        purchaseDate: '',
        sellingDealer: '',
        mileageKm: 0,
        runningHours: 0,
        warrantyStart: '',
        warrantyEnd: '',
        maintenanceCycleDays: 0,
        lastMaintenance: '',
        idempotencyKey: '',
      }),
      { code: 'NOT_FOUND' },
    );
    expect(await rowCount(env.env.DATABASE_URL!, 'customer')).toBe(before);
    expect(await rowCount(env.env.DATABASE_URL!, 'outbox')).toBe(outboxBefore);
  });

  it('checks roles on every method: technicians and auditors read but cannot write; anonymous callers are refused', async () => {
    await expectAppError(client.createCustomer(newCustomer(), { identity: technician }), {
      code: 'PERMISSION_DENIED',
    });
    await expectAppError(client.createCustomer(newCustomer(), { identity: auditor }), {
      code: 'PERMISSION_DENIED',
    });
    await expectAppError(
      client.getCustomer({ id: '0190f0f0-0000-7000-8000-000000000000' }, { identity: null }),
      { code: 'UNAUTHENTICATED' },
    );
    const { customer } = await client.createCustomer(newCustomer({ name: 'Readable' }));
    expect(
      (await client.getCustomer({ id: customer!.id }, { identity: technician })).customer?.name,
    ).toBe('Readable');
  });

  it('serves the standard gRPC health service', async () => {
    const health = testGrpcClient(healthV1.HealthClient, `127.0.0.1:${service.grpcPort}`);
    try {
      const res = await health.check({ service: 'aftercare.customer.v1.CustomerService' });
      expect(res.status).toBe(healthV1.HealthCheckResponse_ServingStatus.SERVING);
    } finally {
      health.close();
    }
  });
});
