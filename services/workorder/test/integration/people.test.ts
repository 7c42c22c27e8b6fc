import { BusinessCalendar } from '@aftercare/calendar';
import { type Identity } from '@aftercare/kit';
import { rowCounts, subgraphData, subgraphRequest } from '@aftercare/testkit';
import { withCustomerForThisFile } from './with-customer';

// R-WO-10 through the work-order subgraph on real PostgreSQL: the qualifications register, shifts
// and leave; dispatch refuses an absent or unqualified technician with a reason code and writes
// nothing; a supervisor overrides with a reason kept in the history; the board's roster shows who
// is at work; certificates about to expire are listed.
const manager: Identity = { userId: 'pp-mgr', roles: ['manager'] };
const dispatcher: Identity = { userId: 'pp-disp', roles: ['dispatcher'] };
const calendar = new BusinessCalendar();
const s = withCustomerForThisFile('wo-people');
const counts = () =>
  rowCounts(s.workorderEnv.env.DATABASE_URL!, ['work_order_history', 'staff_leave', 'outbox']);

const gql = <T>(query: string, variables: object = {}, caller: Identity = manager) =>
  subgraphData<T>(s.workorder.httpPort, query, variables, caller);
const refusal = async (query: string, variables: object, caller: Identity = manager) =>
  (await subgraphRequest(s.workorder.httpPort, query, variables, caller)).errors?.[0]?.extensions;

const QUALIFY = `mutation($input: SetStaffQualificationsInput!) { setStaffQualifications(input: $input) {
  staff { id qualifications { skills { category productLine certificateCode } certificates { code expiresOn } trainings { course passed } } } } }`;
const DISPATCH = `mutation($input: DispatchWorkOrderInput!) { dispatchWorkOrder(input: $input) {
  workOrder { status technicianIds: technicians { id } history { action reason } } warnings { technicianId code } } }`;
const LEAVE = `mutation($input: RecordStaffLeaveInput!) { recordStaffLeave(input: $input) { leave { id kind startsAt endsAt recordedBy } } }`;

// A Monday of working hours, and the Saturday before.
const monday10 = calendar.fromLocal('2026-11-30T10:00');
const saturday10 = calendar.fromLocal('2026-11-28T10:00');
let register: (productLine?: string) => Promise<string>;

beforeAll(async () => {
  for (const id of ['pp-ev', 'pp-old', 'pp-sick', 'pp-weekend'])
    await gql(
      `mutation($id: ID!, $name: String!) { upsertStaff(input: { id: $id, name: $name, stationCode: "PP-1" }) { staff { id } } }`,
      { id, name: id },
    );
  const { createCustomer } = await subgraphData<{ createCustomer: { customer: { id: string } } }>(
    s.customer.httpPort,
    `mutation { createCustomer(input: { kind: PERSON, name: "People", contacts: [{ name: "P", mobile: "13800008888" }], addresses: [{ region: { province: "Zhejiang", city: "Hangzhou" } }] }) { customer { id } } }`,
    {},
    manager,
  );
  const { registerAsset } = await subgraphData<{ registerAsset: { asset: { id: string } } }>(
    s.customer.httpPort,
    `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: EQUIPMENT, model: "EV", serialNumber: "PP-1" }) { asset { id } } }`,
    { id: createCustomer.customer.id },
    manager,
  );
  register = async (productLine = 'ev-100') =>
    (
      await gql<{ registerWorkOrder: { workOrder: { id: string } } }>(
        `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id productLine } } }`,
        {
          input: {
            customerId: createCustomer.customer.id,
            assetId: registerAsset.asset.id,
            contact: { name: 'P', phone: '13800008888' },
            address: { region: { province: 'Zhejiang', city: 'Hangzhou' } },
            areaType: 'URBAN',
            distanceKm: 5,
            faultDescription: 'no power',
            category: 'ELECTRICAL',
            channel: 'PHONE',
            productLine,
          },
        },
        dispatcher,
      )
    ).registerWorkOrder.workOrder.id;
});

it('R-WO-10 the register holds skills per category and product line, certificates with expiry and training', async () => {
  const { setStaffQualifications } = await gql<{ setStaffQualifications: { staff: object } }>(
    QUALIFY,
    {
      input: {
        staffId: 'pp-ev',
        skills: [{ category: 'ELECTRICAL', productLine: 'ev-100', certificateCode: 'HV' }],
        certificates: [
          { code: 'hv', name: 'High voltage', issuedOn: '2025-01-01', expiresOn: '2099-12-31' },
        ],
        trainings: [{ course: 'EV-100', completedOn: '2025-02-01' }],
      },
    },
  );
  expect(setStaffQualifications.staff).toEqual({
    id: 'pp-ev',
    qualifications: {
      skills: [{ category: 'ELECTRICAL', productLine: 'EV-100', certificateCode: 'HV' }],
      certificates: [{ code: 'HV', expiresOn: '2099-12-31' }],
      trainings: [{ course: 'EV-100', passed: true }],
    },
  });
  await gql(QUALIFY, {
    input: {
      staffId: 'pp-old',
      skills: [{ category: 'ELECTRICAL', certificateCode: 'HV' }],
      certificates: [{ code: 'HV', name: 'High voltage', expiresOn: '2026-01-31' }],
    },
  });
  for (const id of ['pp-sick', 'pp-weekend'])
    await gql(QUALIFY, { input: { staffId: id, skills: [{ category: 'ELECTRICAL' }] } });

  const before = await counts();
  expect(
    await refusal(QUALIFY, { input: { staffId: 'pp-ev', skills: [{ category: 'PLUMBING' }] } }),
  ).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'skills.0.category',
    reason: 'INVALID_VALUE',
  });
  expect(await refusal(QUALIFY, { input: { staffId: 'nobody', skills: [] } })).toMatchObject({
    code: 'NOT_FOUND',
  });
  expect(
    await refusal(QUALIFY, { input: { staffId: 'pp-ev', skills: [] } }, dispatcher),
  ).toMatchObject({ code: 'FORBIDDEN' });
  expect(await counts()).toEqual(before);
});

it('R-WO-10 shifts and leave; the dispatch board roster shows who is at work', async () => {
  await gql(
    `mutation { setStaffShifts(input: { staffId: "pp-weekend", shifts: [{ weekday: 6, start: "08:00", end: "18:00" }] }) { staff { shifts { weekday start end } } } }`,
  );
  const { recordStaffLeave } = await gql<{ recordStaffLeave: { leave: { id: string } } }>(LEAVE, {
    input: {
      staffId: 'pp-sick',
      startsAt: calendar.fromLocal('2026-11-30T00:00').toISOString(),
      endsAt: calendar.fromLocal('2026-12-01T00:00').toISOString(),
      kind: 'SICK',
    },
  });
  expect(recordStaffLeave.leave).toMatchObject({ kind: 'SICK', recordedBy: 'pp-mgr' });

  const before = await counts();
  expect(
    await refusal(LEAVE, {
      input: {
        staffId: 'pp-sick',
        startsAt: calendar.fromLocal('2026-11-30T12:00').toISOString(),
        endsAt: calendar.fromLocal('2026-12-02T00:00').toISOString(),
      },
    }),
  ).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'LEAVE_OVERLAPS' });
  expect(
    await refusal(LEAVE, {
      input: {
        staffId: 'pp-sick',
        startsAt: monday10.toISOString(),
        endsAt: monday10.toISOString(),
      },
    }),
  ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'endsAt', reason: 'OUT_OF_RANGE' });
  expect(
    await refusal(
      `mutation { setStaffShifts(input: { staffId: "pp-weekend", shifts: [{ weekday: 9, start: "08:00", end: "18:00" }] }) { staff { id } } }`,
      {},
    ),
  ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'shifts.0.weekday' });
  expect(await counts()).toEqual(before);

  const roster = async (at: Date) =>
    (
      await gql<{
        technicianAvailability: {
          technician: { id: string };
          available: boolean;
          reason: string | null;
        }[];
      }>(
        `query($at: DateTime) { technicianAvailability(at: $at, stationCode: "pp-1") { technician { id } available reason } }`,
        { at: at.toISOString() },
        dispatcher,
      )
    ).technicianAvailability.map((r) => [r.technician.id, r.available, r.reason]);
  expect(await roster(monday10)).toEqual([
    ['pp-ev', true, null],
    ['pp-old', true, null],
    ['pp-sick', false, 'ON_LEAVE'],
    ['pp-weekend', false, 'OFF_SHIFT'],
  ]);
  expect(await roster(saturday10)).toEqual([
    ['pp-weekend', true, null],
    ['pp-ev', false, 'OFF_SHIFT'],
    ['pp-old', false, 'OFF_SHIFT'],
    ['pp-sick', false, 'OFF_SHIFT'],
  ]);
  const { staff } = await gql<{ staff: { availability: object; leave: object[] } }>(
    `query($at: DateTime, $from: DateTime!, $to: DateTime!) { staff(id: "pp-sick") { availability(at: $at) { available reason leave { kind } } leave(from: $from, to: $to) { kind } } }`,
    {
      at: monday10.toISOString(),
      from: saturday10.toISOString(),
      to: calendar.fromLocal('2026-12-07T00:00').toISOString(),
    },
    dispatcher,
  );
  // Cancelled leave stays on record but no longer makes anyone absent.
  const extra = await gql<{ recordStaffLeave: { leave: { id: string } } }>(LEAVE, {
    input: {
      staffId: 'pp-ev',
      startsAt: calendar.fromLocal('2026-12-07T00:00').toISOString(),
      endsAt: calendar.fromLocal('2026-12-08T00:00').toISOString(),
    },
  });
  const { cancelStaffLeave } = await gql<{
    cancelStaffLeave: { leave: { cancelledAt: string | null } };
  }>(`mutation($id: ID!) { cancelStaffLeave(input: { leaveId: $id }) { leave { cancelledAt } } }`, {
    id: extra.recordStaffLeave.leave.id,
  });
  expect(cancelStaffLeave.leave.cancelledAt).not.toBeNull();
  expect((await roster(calendar.fromLocal('2026-12-07T10:00')))[0]).toEqual(['pp-ev', true, null]);
  expect(staff).toEqual({
    availability: { available: false, reason: 'ON_LEAVE', leave: { kind: 'SICK' } },
    leave: [{ kind: 'SICK' }],
  });
});

it('R-WO-10 dispatch refuses an absent or unqualified technician with a reason code, writing nothing', async () => {
  const id = await register();
  const at = monday10.toISOString();
  const before = await counts();
  const refused = (technicianId: string, extra: object = {}) =>
    refusal(
      DISPATCH,
      { input: { workOrderId: id, technicianIds: [technicianId], appointedAt: at, ...extra } },
      dispatcher,
    );
  expect(await refused('pp-sick')).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'technicianIds.0',
    reason: 'TECHNICIAN_ABSENT',
  });
  expect(await refused('pp-weekend')).toMatchObject({ reason: 'TECHNICIAN_ABSENT' });
  expect(await refused('pp-old')).toMatchObject({ reason: 'CERTIFICATE_EXPIRED' });
  expect(await refused('pp-ev', { appointedAt: saturday10.toISOString() })).toMatchObject({
    reason: 'TECHNICIAN_ABSENT',
  });
  // Only a supervisor overrides.
  expect(await refused('pp-old', { override: { reason: 'needed' } })).toMatchObject({
    code: 'FORBIDDEN',
  });
  expect(await counts()).toEqual(before);

  const other = await register('ev-200');
  expect(
    await refusal(
      DISPATCH,
      { input: { workOrderId: other, technicianIds: ['pp-ev'], appointedAt: at } },
      dispatcher,
    ),
  ).toMatchObject({ reason: 'NOT_QUALIFIED' });

  const ok = await gql<{
    dispatchWorkOrder: { workOrder: { status: string }; warnings: unknown[] };
  }>(
    DISPATCH,
    { input: { workOrderId: id, technicianIds: ['pp-ev'], appointedAt: at } },
    dispatcher,
  );
  expect(ok.dispatchWorkOrder).toMatchObject({ workOrder: { status: 'DISPATCHED' }, warnings: [] });
});

it('R-WO-10 a supervisor overrides a refusal with a reason kept in the order history', async () => {
  const id = await register();
  const { dispatchWorkOrder } = await gql<{
    dispatchWorkOrder: {
      workOrder: { status: string; history: { action: string; reason: string | null }[] };
      warnings: object[];
    };
  }>(DISPATCH, {
    input: {
      workOrderId: id,
      technicianIds: ['pp-old'],
      appointedAt: monday10.toISOString(),
      override: { reason: ' renewal exam passed, paper pending ' },
    },
  });
  expect(dispatchWorkOrder.workOrder.status).toBe('DISPATCHED');
  expect(dispatchWorkOrder.warnings).toEqual([
    { technicianId: 'pp-old', code: 'CERTIFICATE_EXPIRED' },
  ]);
  expect(dispatchWorkOrder.workOrder.history.at(-1)).toEqual({
    action: 'dispatch',
    reason: 'renewal exam passed, paper pending',
  });
});

it('R-WO-10 certificates about to expire are listed as the reminder', async () => {
  const { expiringCertificates } = await gql<{
    expiringCertificates: { technician: { id: string }; code: string; expiresOn: string }[];
  }>(
    `{ expiringCertificates(withinDays: 30) { technician { id } code expiresOn } }`,
    {},
    dispatcher,
  );
  // pp-old's expired in January 2026; pp-ev's runs to 2099.
  expect(expiringCertificates).toEqual([
    { technician: { id: 'pp-old' }, code: 'HV', expiresOn: '2026-01-31' },
  ]);
  expect(
    await refusal(`{ expiringCertificates(withinDays: 400) { code } }`, {}, dispatcher),
  ).toMatchObject({ field: 'withinDays', reason: 'OUT_OF_RANGE' });
});

it('R-WO-11 recommends the available, qualified technicians for an open order, with reasons', async () => {
  const id = await register();
  const { recommendTechnicians } = await gql<{
    recommendTechnicians: {
      rank: number;
      technician: { id: string };
      skillMatch: string;
      regionMatch: string;
      openOrders: number;
      reasons: string[];
    }[];
  }>(
    `query($id: ID!, $at: DateTime) { recommendTechnicians(workOrderId: $id, appointedAt: $at) { rank technician { id } skillMatch regionMatch openOrders reasons } }`,
    { id, at: monday10.toISOString() },
    dispatcher,
  );
  // pp-old's certificate expired, pp-sick is on leave, pp-weekend off shift: only pp-ev is left,
  // with the order dispatched to them above as their load.
  expect(recommendTechnicians).toEqual([
    {
      rank: 1,
      technician: { id: 'pp-ev' },
      skillMatch: 'PRODUCT_LINE',
      regionMatch: 'ANYWHERE',
      openOrders: 1,
      reasons: [
        'skilled for ELECTRICAL on EV-100',
        'covers every region',
        '1 open order',
        expect.stringMatching(/working hours (to spare|late)/),
      ],
    },
  ]);
  expect(
    await refusal(
      `query($id: ID!) { recommendTechnicians(workOrderId: $id) { rank } }`,
      { id },
      { userId: 't', roles: ['technician'] },
    ),
  ).toMatchObject({ code: 'FORBIDDEN' });
  expect(
    await refusal(`{ recommendTechnicians(workOrderId: "nope") { rank } }`, {}, dispatcher),
  ).toMatchObject({ code: 'BAD_USER_INPUT' });
});
