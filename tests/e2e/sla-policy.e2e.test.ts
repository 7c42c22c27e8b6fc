import { slaPolicyChanged } from '@aftercare/events';
import { eventually, streamEvents } from './support/events';
import { startSystem, type System } from './harness';

// R-WO-12 through the gateway: a manager edits SLA policies in the graph, every edit a version
// with who, when and why and a workorder.sla_policy_changed event; orders keep the version they
// were registered with; the supplier-involved case answers within 12 h.
let sys: System;
beforeAll(async () => {
  sys = await startSystem('e2e-sla-policy');
});
afterAll(async () => {
  await sys?.stop();
});

const CHANGE = `mutation($input: ChangeSlaPolicyInput!) { changeSlaPolicy(input: $input) {
  slaPolicy { id current { version changedBy reason answerHours } history { version changedBy reason } } } }`;
const ORDER = `query($id: ID!) { workOrder(id: $id) { sla { answerDueAt arrivalDueAt } slaPolicy { policyId version answerHours } } }`;

it('R-WO-12 managers version SLA policies in the graph; orders keep the version they were registered with', async () => {
  const c = await sys.gql<{ createCustomer: { customer: { id: string } } }>(
    `mutation { createCustomer(input: { kind: PERSON, name: "Policy", contacts: [{ name: "P", mobile: "13900001212" }], addresses: [{ region: { province: "Jiangsu", city: "Suzhou" } }] }) { customer { id } } }`,
  );
  const customerId = c.data!.createCustomer.customer.id;
  const a = await sys.gql<{ registerAsset: { asset: { id: string } } }>(
    `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: EQUIPMENT, model: "Lift", serialNumber: "POL-1" }) { asset { id } } }`,
    { id: customerId },
  );
  const register = async (extra: object = {}) => {
    const r = await sys.gql<{
      registerWorkOrder: {
        workOrder: {
          id: string;
          calledAt: string;
          supplierInvolved: boolean;
          sla: { answerDueAt: string; arrivalDueAt: string | null };
          slaPolicy: { policyId: string; version: number; answerHours: number };
        };
      };
    }>(
      `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder {
        id calledAt supplierInvolved sla { answerDueAt arrivalDueAt } slaPolicy { policyId version answerHours } } } }`,
      {
        input: {
          customerId,
          assetId: a.data!.registerAsset.asset.id,
          contact: { name: 'P', phone: '13900001212' },
          address: { region: { province: 'Jiangsu', city: 'Suzhou' } },
          areaType: 'RURAL',
          distanceKm: 40,
          faultDescription: 'lift stuck',
          category: 'MECHANICAL',
          channel: 'PHONE',
          ...extra,
        },
      },
      ['agent'],
      'agent-1',
    );
    expect(r.errors).toBeUndefined();
    return r.data!.registerWorkOrder.workOrder;
  };

  // Needing the supplier: the 12 h answer, whatever the distance.
  const supplier = await register({ supplierInvolved: true });
  expect(supplier).toMatchObject({
    supplierInvolved: true,
    slaPolicy: { policyId: 'supplier-involved', version: 1 },
  });
  expect(Date.parse(supplier.sla.answerDueAt) - Date.parse(supplier.calledAt)).toBe(12 * 3_600_000);

  const before = await register();
  expect(before.slaPolicy).toEqual({ policyId: 'field-within-100km', version: 1, answerHours: 24 });

  // Only a manager edits; a dispatcher is refused before anything is looked up.
  const refused = await sys.gql(
    CHANGE,
    { input: { id: 'field-within-100km', answerHours: 12, reason: 'r' } },
    ['dispatcher'],
  );
  expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const bad = await sys.gql(
    CHANGE,
    { input: { id: 'field-within-100km', answerHours: -3, reason: 'r' } },
    ['manager'],
  );
  expect(bad.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'answerHours',
    reason: 'OUT_OF_RANGE',
  });

  const changed = await sys.gql<{
    changeSlaPolicy: { slaPolicy: { current: object; history: object[] } };
  }>(
    CHANGE,
    {
      input: {
        id: 'field-within-100km',
        expectedVersion: 1,
        answerHours: 16,
        reason: 'new service charter',
      },
    },
    ['manager'],
    'mgr-1',
  );
  expect(changed.errors).toBeUndefined();
  expect(changed.data!.changeSlaPolicy.slaPolicy).toMatchObject({
    current: { version: 2, changedBy: 'mgr-1', reason: 'new service charter', answerHours: 16 },
    history: [
      { version: 1, changedBy: 'system' },
      { version: 2, changedBy: 'mgr-1', reason: 'new service charter' },
    ],
  });

  // The earlier order keeps version 1 and its 24 h answer; a new one is registered under version 2.
  const kept = await sys.gql<{ workOrder: object }>(ORDER, { id: before.id }, ['auditor']);
  expect(kept.data!.workOrder).toEqual({ sla: before.sla, slaPolicy: before.slaPolicy });
  const after = await register();
  expect(after.slaPolicy).toEqual({ policyId: 'field-within-100km', version: 2, answerHours: 16 });
  expect(Date.parse(after.sla.answerDueAt) - Date.parse(after.calledAt)).toBe(16 * 3_600_000);

  // The audit is readable by an auditor, and the change went out as an event.
  const audit = await sys.gql<{ slaPolicy: { history: { version: number }[] } }>(
    `{ slaPolicy(id: "field-within-100km") { history { version changedBy changedAt reason } } }`,
    {},
    ['auditor'],
  );
  expect(audit.data!.slaPolicy.history.map((v) => v.version)).toEqual([1, 2]);
  const found = await eventually(
    () => streamEvents(sys.subjectPrefix, 'workorder'),
    (es) => es.some((e) => e.type === 'workorder.sla_policy_changed'),
    30_000,
  );
  const event = found.find((e) => e.type === 'workorder.sla_policy_changed')!;
  expect(event.subject).toBe('field-within-100km');
  expect(slaPolicyChanged.parse(event.data)).toMatchObject({
    version: 2,
    changedBy: 'mgr-1',
    answerHours: 16,
  });
});
