import { startSystem, type System } from './harness';

// R-WO-10 and R-WO-11 through the gateway: a manager keeps the register, shifts and leave; dispatch
// refuses an absent or unqualified technician with a reason code; a supervisor overrides with a
// reason kept in the history; the board's roster shows who is at work; the recommendation ranks
// those who may go, with reasons; certificates about to expire are listed.
let sys: System;
beforeAll(async () => {
  sys = await startSystem('e2e-people');
}, 120_000);
afterAll(async () => {
  await sys?.stop();
});

const ok = async <T>(
  query: string,
  variables: Record<string, unknown> = {},
  roles: Parameters<System['gql']>[2] = ['manager'],
) => {
  const r = await sys.gql<T>(query, variables, roles, 'mgr-e2e');
  expect(r.errors).toBeUndefined();
  return r.data!;
};

it('R-WO-10 R-WO-11 people before dispatch, through the gateway', async () => {
  for (const id of ['pe-volt', 'pe-away', 'pe-novice'])
    await ok(
      `mutation($id: ID!, $n: String!) { upsertStaff(input: { id: $id, name: $n, region: { province: "Jiangsu", city: "Suzhou" } }) { staff { id } } }`,
      { id, n: id },
    );
  await ok(
    `mutation { setStaffQualifications(input: { staffId: "pe-volt", skills: [{ category: "ELECTRICAL", productLine: "EV-9", certificateCode: "HV" }], certificates: [{ code: "HV", name: "High voltage", expiresOn: "2099-12-31" }], trainings: [{ course: "EV-9", completedOn: "2025-03-01" }] }) { staff { id } } }`,
  );
  await ok(
    `mutation { setStaffQualifications(input: { staffId: "pe-away", skills: [{ category: "ELECTRICAL" }], certificates: [{ code: "OLD", name: "Old", expiresOn: "2026-01-01" }] }) { staff { id } } }`,
  );
  await ok(
    `mutation { setStaffQualifications(input: { staffId: "pe-novice", skills: [{ category: "BODY" }] }) { staff { id } } }`,
  );

  // pe-away is on leave over the next two days, whenever the test runs.
  const now = Date.now();
  await ok(
    `mutation($s: DateTime!, $e: DateTime!) { recordStaffLeave(input: { staffId: "pe-away", startsAt: $s, endsAt: $e, kind: "ANNUAL" }) { leave { id } } }`,
    { s: new Date(now - 3_600_000).toISOString(), e: new Date(now + 4 * 86_400_000).toISOString() },
  );

  const c = await ok<{ createCustomer: { customer: { id: string } } }>(
    `mutation { createCustomer(input: { kind: PERSON, name: "People E2E", contacts: [{ name: "P", mobile: "13900003434" }], addresses: [{ region: { province: "Jiangsu", city: "Suzhou" } }] }) { customer { id } } }`,
  );
  const a = await ok<{ registerAsset: { asset: { id: string } } }>(
    `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: EQUIPMENT, model: "EV-9", serialNumber: "PE-1" }) { asset { id } } }`,
    { id: c.createCustomer.customer.id },
  );
  const r = await ok<{ registerWorkOrder: { workOrder: { id: string; productLine: string } } }>(
    `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id productLine } } }`,
    {
      input: {
        customerId: c.createCustomer.customer.id,
        assetId: a.registerAsset.asset.id,
        contact: { name: 'P', phone: '13900003434' },
        address: { region: { province: 'Jiangsu', city: 'Suzhou' } },
        areaType: 'URBAN',
        distanceKm: 8,
        faultDescription: 'no charge',
        category: 'ELECTRICAL',
        channel: 'PHONE',
        productLine: 'ev-9',
      },
    },
    ['agent'],
  );
  const order = r.registerWorkOrder.workOrder;
  expect(order.productLine).toBe('EV-9');

  // The board's roster and the recommendation: only pe-volt may go.
  const roster = await ok<{
    technicianAvailability: {
      technician: { id: string };
      available: boolean;
      reason: string | null;
    }[];
  }>(`{ technicianAvailability { technician { id } available reason } }`, {}, ['dispatcher']);
  expect(roster.technicianAvailability.find((t) => t.technician.id === 'pe-away')).toMatchObject({
    available: false,
    reason: 'ON_LEAVE',
  });
  expect(roster.technicianAvailability.find((t) => t.technician.id === 'pe-volt')).toMatchObject({
    available: true,
  });
  const rec = await ok<{
    recommendTechnicians: {
      rank: number;
      technician: { id: string };
      skillMatch: string;
      regionMatch: string;
      reasons: string[];
    }[];
  }>(
    `query($id: ID!) { recommendTechnicians(workOrderId: $id) { rank technician { id } skillMatch regionMatch reasons } }`,
    { id: order.id },
    ['dispatcher'],
  );
  expect(rec.recommendTechnicians).toEqual([
    {
      rank: 1,
      technician: { id: 'pe-volt' },
      skillMatch: 'PRODUCT_LINE',
      regionMatch: 'CITY',
      reasons: expect.arrayContaining([
        'skilled for ELECTRICAL on EV-9',
        'works in the same city',
        '0 open orders',
      ]),
    },
  ]);

  // Dispatch refuses the absent and the unqualified, each with its code.
  const DISPATCH = `mutation($input: DispatchWorkOrderInput!) { dispatchWorkOrder(input: $input) { workOrder { status history { action reason } } warnings { technicianId code } } }`;
  const refused = async (technicianId: string) =>
    (
      await sys.gql(DISPATCH, { input: { workOrderId: order.id, technicianIds: [technicianId] } }, [
        'dispatcher',
      ])
    ).errors?.[0]?.extensions;
  expect(await refused('pe-away')).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'TECHNICIAN_ABSENT',
  });
  expect(await refused('pe-novice')).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'NOT_QUALIFIED',
  });
  const byDispatcher = await sys.gql(
    DISPATCH,
    { input: { workOrderId: order.id, technicianIds: ['pe-novice'], override: { reason: 'r' } } },
    ['dispatcher'],
  );
  expect(byDispatcher.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

  // The supervisor overrides, with the reason on record.
  const d = await ok<{
    dispatchWorkOrder: {
      workOrder: { status: string; history: { action: string; reason: string | null }[] };
      warnings: object[];
    };
  }>(DISPATCH, {
    input: {
      workOrderId: order.id,
      technicianIds: ['pe-novice'],
      override: { reason: 'body damage around the charger' },
    },
  });
  expect(d.dispatchWorkOrder.warnings).toEqual([
    { technicianId: 'pe-novice', code: 'NOT_QUALIFIED' },
  ]);
  expect(d.dispatchWorkOrder.workOrder.history.at(-1)).toEqual({
    action: 'dispatch',
    reason: 'body damage around the charger',
  });

  // The reminder lists pe-away's expired certificate, not pe-volt's.
  const exp = await ok<{ expiringCertificates: { technician: { id: string }; code: string }[] }>(
    `{ expiringCertificates(withinDays: 60) { technician { id } code } }`,
    {},
    ['auditor'],
  );
  expect(exp.expiringCertificates).toEqual([{ technician: { id: 'pe-away' }, code: 'OLD' }]);
});
