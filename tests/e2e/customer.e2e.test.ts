import { rowCount } from '@aftercare/testkit';
import { startSystem, type System } from './harness';

let sys: System;
beforeAll(async () => {
  sys = await startSystem('e2e-customer');
});
afterAll(() => sys?.stop());

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateCustomerInput!) {
    createCustomer(input: $input) {
      customer {
        id
        code
        name
        grade
        region {
          province
          city
          district
        }
        contacts {
          name
          mobile
          primary
        }
        version
      }
    }
  }
`;

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterAssetInput!) {
    registerAsset(input: $input) {
      asset {
        id
        vin
        plateNumber
        warrantyEnd
        nextMaintenanceDue
        contract {
          number
          endDate
        }
      }
    }
  }
`;

const customerInput = {
  kind: 'PERSON',
  name: 'Chen Jie',
  grade: 'A',
  contacts: [{ name: 'Chen Jie', role: 'owner', mobile: '13600001234', email: 'chen@example.com' }],
  addresses: [
    {
      region: { province: 'Guangdong', city: 'Shenzhen', district: 'Nanshan' },
      line: '99 Keyuan Road',
      postalCode: '518057',
    },
  ],
};

const count = (table: string) => rowCount(sys.customerEnv.env.DATABASE_URL!, table);

describe('customer archive through the gateway', () => {
  it('R-CU-1 R-CU-2 R-WO-1 creates a customer, registers an asset, reads both back and answers the entitlement at three dates', async () => {
    const created = await sys.gql<{
      createCustomer: { customer: { id: string; code: string; region: unknown } };
    }>(CREATE, { input: customerInput });
    expect(created.errors).toBeUndefined();
    const customer = created.data!.createCustomer.customer;
    expect(customer).toMatchObject({
      code: expect.stringMatching(/^CUS-/),
      region: { province: 'Guangdong', city: 'Shenzhen', district: 'Nanshan' },
    });

    const registered = await sys.gql<{ registerAsset: { asset: { id: string } } }>(REGISTER, {
      input: {
        customerId: customer.id,
        kind: 'VEHICLE',
        model: 'Cargo EV',
        vin: 'LGWEF4A59MF123456',
        plateNumber: '粤B·D12345',
        purchaseDate: '2025-05-20',
        warrantyStart: '2025-05-20',
        warrantyEnd: '2027-05-19',
        contract: {
          number: 'SC-2027-001',
          kind: 'extended',
          startDate: '2027-05-20',
          endDate: '2029-05-19',
        },
        maintenanceCycleDays: 180,
      },
    });
    expect(registered.errors).toBeUndefined();
    const assetId = registered.data!.registerAsset.asset.id;

    const read = await sys.gql<{
      customer: {
        name: string;
        assets: { nodes: { id: string; plateNumber: string; customer: { id: string } }[] };
      };
    }>(
      `query($id: ID!) { customer(id: $id) { name contacts { mobile } assets { nodes { id plateNumber customer { id } } } } }`,
      { id: customer.id },
      ['technician'],
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.customer).toMatchObject({
      name: 'Chen Jie',
      assets: { nodes: [{ id: assetId, plateNumber: '粤BD12345', customer: { id: customer.id } }] },
    });

    const at = async (instant: string) =>
      (
        await sys.gql<{ asset: { entitlement: { kind: string; reason: string } } }>(
          `query($id: ID!, $at: DateTime) { asset(id: $id) { entitlement(at: $at) { kind reason warrantyEnd contractEnd } } }`,
          { id: assetId, at: instant },
        )
      ).data!.asset.entitlement;
    expect(await at('2026-11-27T16:00:00+08:00')).toMatchObject({ kind: 'WARRANTY' });
    expect(await at('2028-01-10T09:00:00+08:00')).toMatchObject({
      kind: 'CONTRACT',
      reason: expect.stringContaining('SC-2027-001'),
    });
    expect(await at('2030-01-10T09:00:00+08:00')).toMatchObject({ kind: 'PAID' });

    const found = await sys.gql<{ customers: { nodes: { id: string }[]; totalCount: number } }>(
      `query { customers(filter: { plateNumber: "粤B D12345" }) { nodes { id } totalCount pageInfo { hasNextPage } } }`,
    );
    expect(found.data!.customers).toEqual({
      nodes: [{ id: customer.id }],
      totalCount: 1,
      pageInfo: { hasNextPage: false },
    });
  });

  it('R-CU-5 logs a contact and shows it on the customer with the change history', async () => {
    const { data } = await sys.gql<{
      createCustomer: { customer: { id: string; version: number } };
    }>(CREATE, {
      input: {
        ...customerInput,
        name: 'Huang Min',
        contacts: [{ name: 'Huang Min', mobile: '13600005678' }],
      },
    });
    const id = data!.createCustomer.customer.id;
    const logged = await sys.gql(
      `mutation($input: LogContactInput!) { logContact(input: $input) { entry { id staffId purpose } } }`,
      {
        input: {
          customerId: id,
          channel: 'PHONE',
          direction: 'INBOUND',
          purpose: 'CONSULTATION',
          summary: 'asked about the warranty',
        },
      },
    );
    expect(logged.errors).toBeUndefined();
    const updated = await sys.gql(
      `mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customer { version addresses { line } } } }`,
      {
        input: {
          id,
          expectedVersion: data!.createCustomer.customer.version,
          addresses: [
            { region: { province: 'Guangdong', city: 'Guangzhou' }, line: '1 Tianhe Road' },
          ],
          reason: 'moved',
        },
      },
    );
    expect(updated.errors).toBeUndefined();
    const read = await sys.gql<{
      customer: {
        contactLog: { totalCount: number; nodes: { summary: string }[] };
        history: { nodes: { field: string; reason: string }[] };
        region: { city: string };
      };
    }>(
      `query($id: ID!) { customer(id: $id) { region { city } contactLog { totalCount nodes { summary staffId } } history { nodes { field reason changedBy } } } }`,
      { id },
    );
    expect(read.data!.customer.region.city).toBe('Guangzhou');
    expect(read.data!.customer.contactLog).toMatchObject({
      totalCount: 1,
      nodes: [{ summary: 'asked about the warranty' }],
    });
    expect(read.data!.customer.history.nodes).toEqual([
      { field: 'addresses', reason: 'moved', changedBy: 'e2e-user' },
    ]);
  });

  it('bad input gets a clear error with the field at fault and writes nothing', async () => {
    const before = await count('customer');
    const outbox = await count('outbox');
    const badPhone = await sys.gql(CREATE, {
      input: { ...customerInput, contacts: [{ name: 'x', mobile: '555-0100' }] },
    });
    expect(badPhone.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_PHONE',
      field: 'contacts.0.mobile',
    });
    const missing = await sys.gql(CREATE, {
      input: {
        kind: 'PERSON',
        name: 'No Contacts',
        contacts: [],
        addresses: customerInput.addresses,
      },
    });
    expect(missing.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'contacts',
    });
    const schemaMissing = await sys.gql(CREATE, { input: { kind: 'PERSON' } });
    expect(schemaMissing.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await sys.gql(REGISTER, {
      input: {
        customerId: '0190f0f0-0000-7000-8000-000000000000',
        kind: 'VEHICLE',
        model: 'x',
        serialNumber: 'S-1',
      },
    });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'CUSTOMER_NOT_FOUND',
    });
    // A variable is checked where it is used (the input policy, ADR 0012): on a root field here,
    // since the entitlement of an unknown asset is never asked for.
    const badDate = await sys.gql(
      `query($at: DateTime) { serviceEntitlement(assetId: "0190f0f0-0000-7000-8000-000000000000", at: $at) { kind } }`,
      {
        at: 'tomorrow',
      },
    );
    expect(badDate.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'at' },
    });
    const badLiteral = await sys.gql(
      `query { serviceEntitlement(assetId: "0190f0f0-0000-7000-8000-000000000000", at: "2026-13-01") { kind } }`,
    );
    expect(badLiteral.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'at',
    });
    expect(
      (await sys.gql(`query { customer(id: "0190f0f0-0000-7000-8000-000000000000") { id } }`)).data,
    ).toEqual({ customer: null });
    expect(await count('customer')).toBe(before);
    expect(await count('outbox')).toBe(outbox);
  });

  it('checks roles: wrong role is FORBIDDEN, no token is UNAUTHENTICATED, and nothing is written', async () => {
    const before = await count('customer');
    const asTechnician = await sys.gql(CREATE, { input: customerInput }, ['technician']);
    expect(asTechnician.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const asToolKeeper = await sys.gql(`query { customers { totalCount } }`, {}, ['tool_keeper']);
    expect(asToolKeeper.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await sys.gql(`query { customers { totalCount } }`, {}, null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await count('customer')).toBe(before);
  });

  it('resolves many customers with their assets in a bounded number of queries (batched, no N+1)', async () => {
    for (let i = 0; i < 5; i++) {
      await sys.gql(CREATE, {
        input: {
          ...customerInput,
          name: `Batch ${i}`,
          contacts: [{ name: 'b', mobile: `1350000000${i}` }],
        },
      });
    }
    // Counts the SQL statements the customer service sends for one GraphQL request, whichever
    // MikroORM or knex API sends them.
    const knex = sys.customer.orm.em.getConnection().getKnex();
    const sent: string[] = [];
    const listener = (query: { sql: string }) => sent.push(query.sql);
    knex.on('query', listener);
    try {
      const res = await sys.gql<{ customers: { nodes: { assets: unknown }[] } }>(
        `query { customers(filter: { query: "Batch" }) { nodes { name assets { nodes { id } } customer: assets { nodes { customer { id } } } } } }`,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.customers.nodes).toHaveLength(5);
      // The outbox relay polls on the same connection; only the request's own reads count.
      const reads = sent.filter((sql) => /from "(customer|asset)"/i.test(sql));
      // page + count + one batch of assets + one batch of customers behind them, however many rows.
      expect(reads.length).toBeGreaterThanOrEqual(3);
      expect(reads.length).toBeLessThanOrEqual(4);
    } finally {
      knex.off('query', listener);
    }
  });
});
