import { BusinessCalendar } from '@aftercare/calendar';
import { type Identity } from '@aftercare/kit';
import { workorderV1 as pb } from '@aftercare/proto';
import { dbQuery, subgraphData, subgraphRequest, testGrpcClient } from '@aftercare/testkit';
import { withCustomerForThisFile } from './with-customer';

// SPEC §6 "per station": a work order belongs to the service station handling it — given at
// intake, else the registering staff member's station on the roster, else DEFAULT_STATION_CODE —
// may be handed to another station while open (history keeps the reason), and the dispatch board
// and service timeliness are cut by it. Real PostgreSQL, real customer service over gRPC.
const boss: Identity = { userId: 'st-boss', roles: ['agent', 'dispatcher', 'manager'] };
const calendar = new BusinessCalendar();
const s = withCustomerForThisFile('wo-station', {
  // Normalised like any station code.
  DEFAULT_STATION_CODE: ' hq-00 ',
});

const gql = <T>(query: string, variables: object = {}, caller: Identity = boss) =>
  subgraphData<T>(s.workorder.httpPort, query, variables, caller);
const refusal = async (query: string, variables: object, caller: Identity = boss) =>
  (await subgraphRequest(s.workorder.httpPort, query, variables, caller)).errors?.[0]?.extensions;

const DAY = 86_400_000;
const REGISTER = `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id stationCode } } }`;
const TIMELINESS = `query($from: Date!, $to: Date!, $stationCode: String) {
  serviceTimeliness(from: $from, to: $to, stationCode: $stationCode) { workOrders met missed pending rate } }`;
const CHANGE = `mutation($input: ChangeWorkOrderStationInput!) { changeWorkOrderStation(input: $input) {
  workOrder { stationCode history { action reason actorId } } } }`;

it('SPEC §6 a work order belongs to a station: intake default, roster, change with reason, board and timeliness per station', async () => {
  const now = Date.now();
  // The roster carries each person's station; codes are trimmed and upper-cased, junk refused.
  const staff = (id: string, stationCode: string | null) =>
    gql<{ upsertStaff: { staff: { stationCode: string | null } } }>(
      `mutation($id: ID!, $name: String!, $s: String) { upsertStaff(input: { id: $id, name: $name, stationCode: $s, skills: ["ELECTRICAL", "MECHANICAL", "BODY", "BATTERY", "SOFTWARE", "OTHER"] }) { staff { stationCode } } }`,
      { id, name: id, s: stationCode },
    );
  expect((await staff('st-disp-hz', ' hz-01 ')).upsertStaff.staff.stationCode).toBe('HZ-01');
  await staff('st-tech-hz', 'HZ-01');
  await staff('st-tech-sz', 'SZ-02');
  expect(
    await refusal(
      `mutation { upsertStaff(input: { id: "st-bad", name: "bad", stationCode: "HZ 01!" }) { staff { id } } }`,
      {},
    ),
  ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'stationCode', reason: 'INVALID_STATION_CODE' });
  const { staffList } = await gql<{ staffList: { nodes: { id: string }[] } }>(
    `{ staffList(stationCode: "sz-02") { nodes { id } } }`,
  );
  expect(staffList.nodes.map((s) => s.id)).toEqual(['st-tech-sz']);

  const { createCustomer } = await subgraphData<{ createCustomer: { customer: { id: string } } }>(
    s.customer.httpPort,
    `mutation { createCustomer(input: { kind: PERSON, name: "Station", contacts: [{ name: "S", mobile: "13800006666" }], addresses: [{ region: { province: "Zhejiang", city: "Hangzhou" } }] }) { customer { id } } }`,
    {},
    boss,
  );
  const customerId = createCustomer.customer.id;
  const { registerAsset } = await subgraphData<{ registerAsset: { asset: { id: string } } }>(
    s.customer.httpPort,
    `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: EQUIPMENT, model: "M", serialNumber: "ST-1" }) { asset { id } } }`,
    { id: customerId },
    boss,
  );
  const assetId = registerAsset.asset.id;
  const intake = (ago: number, category: string, stationCode?: string) => ({
    customerId,
    assetId,
    contact: { name: 'S', phone: '13800006666' },
    address: { region: { province: 'Zhejiang', city: 'Hangzhou' } },
    areaType: 'URBAN',
    distanceKm: 5,
    faultDescription: 'fault',
    category,
    channel: 'PHONE',
    calledAt: new Date(now - ago).toISOString(),
    ...(stationCode === undefined ? {} : { stationCode }),
  });
  /** Registers (as `by`), then dispatches to `tech` and arrives when given. */
  async function order(
    ago: number,
    category: string,
    o: { by?: Identity; station?: string; tech?: string } = {},
  ) {
    const { registerWorkOrder } = await gql<{
      registerWorkOrder: { workOrder: { id: string; stationCode: string | null } };
    }>(REGISTER, { input: intake(ago, category, o.station) }, o.by ?? boss);
    const { id, stationCode } = registerWorkOrder.workOrder;
    if (o.tech) {
      await gql(
        `mutation($id: ID!, $t: ID!) { dispatchWorkOrder(input: { workOrderId: $id, technicianIds: [$t] }) { workOrder { id } } }`,
        { id, t: o.tech },
      );
      for (const m of ['departForSite', 'arriveOnSite'])
        await gql(`mutation($id: ID!) { ${m}(input: { workOrderId: $id }) { workOrder { id } } }`, {
          id,
        });
    }
    return { id, stationCode };
  }
  const hzDispatcher: Identity = { userId: 'st-disp-hz', roles: ['dispatcher'] };

  // HZ-01 (the dispatcher's roster station): MET (a minute ago, attended now), MISSED (three days
  // ago, answered only now), PENDING (a minute ago, not answered yet).
  const hzMet = await order(60_000, 'ELECTRICAL', { by: hzDispatcher, tech: 'st-tech-hz' });
  const hzMissed = await order(3 * DAY, 'MECHANICAL', { by: hzDispatcher, tech: 'st-tech-hz' });
  const hzPending = await order(60_000, 'BODY', { by: hzDispatcher });
  expect([hzMet, hzMissed, hzPending].map((o) => o.stationCode)).toEqual([
    'HZ-01',
    'HZ-01',
    'HZ-01',
  ]);
  // SZ-02 given at intake (overrides the registrar's station): MET.
  const szMet = await order(60_000, 'SOFTWARE', {
    by: hzDispatcher,
    station: ' sz-02 ',
    tech: 'st-tech-sz',
  });
  expect(szMet.stationCode).toBe('SZ-02');
  // Registered by someone without a station on the roster: the configured default.
  const hq = await order(60_000, 'OTHER');
  expect(hq.stationCode).toBe('HQ-00');
  expect(await refusal(REGISTER, { input: intake(60_000, 'BATTERY', 'x') })).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'stationCode',
    reason: 'INVALID_STATION_CODE',
  });

  const from = calendar.localDate(new Date(now - 3 * DAY));
  const to = calendar.localDate(new Date(now));
  const kpi = async (stationCode?: string) =>
    (await gql<{ serviceTimeliness: object }>(TIMELINESS, { from, to, stationCode }))
      .serviceTimeliness;
  // Hand-computed: HZ-01 met 1, missed 1, pending 1 → 1/2; SZ-02 met 1 → 1; HQ-00 pending 1.
  expect(await kpi('HZ-01')).toEqual({ workOrders: 3, met: 1, missed: 1, pending: 1, rate: 0.5 });
  expect(await kpi('sz-02')).toEqual({ workOrders: 1, met: 1, missed: 0, pending: 0, rate: 1 });
  expect(await kpi('HQ-00')).toEqual({ workOrders: 1, met: 0, missed: 0, pending: 1, rate: null });
  expect(await kpi('NOWHERE')).toEqual({
    workOrders: 0,
    met: 0,
    missed: 0,
    pending: 0,
    rate: null,
  });
  expect(await kpi()).toEqual({ workOrders: 5, met: 2, missed: 1, pending: 2, rate: 2 / 3 });
  expect(await refusal(TIMELINESS, { from, to, stationCode: '#' })).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_STATION_CODE',
  });

  // The dispatch board of one station shows that station's open orders only.
  const board = async (stationCode: string) =>
    (
      await gql<{ dispatchBoard: { workOrder: { id: string } }[] }>(
        `query($s: String) { dispatchBoard(filter: { stationCode: $s }) { workOrder { id } } }`,
        { s: stationCode },
      )
    ).dispatchBoard
      .map((r) => r.workOrder.id)
      .sort();
  expect(await board('hz-01')).toEqual([hzMet.id, hzMissed.id, hzPending.id].sort());
  expect(await board('SZ-02')).toEqual([szMet.id]);
  // The work-order list takes the same filter.
  const { workOrders } = await gql<{ workOrders: { totalCount: number; nodes: { id: string }[] } }>(
    `{ workOrders(filter: { stationCode: "hq-00" }) { totalCount nodes { id } } }`,
  );
  expect(workOrders).toEqual({ totalCount: 1, nodes: [{ id: hq.id }] });

  // The pending HZ order is handed to SZ-02 with a reason; the history keeps who and why.
  const { changeWorkOrderStation } = await gql<{
    changeWorkOrderStation: {
      workOrder: { stationCode: string; history: { action: string; reason: string | null }[] };
    };
  }>(CHANGE, {
    input: { workOrderId: hzPending.id, stationCode: 'sz-02', reason: 'HZ-01 short of staff' },
  });
  expect(changeWorkOrderStation.workOrder.stationCode).toBe('SZ-02');
  expect(changeWorkOrderStation.workOrder.history.at(-1)).toEqual({
    action: 'changeStation',
    reason: 'HZ-01 short of staff',
    actorId: boss.userId,
  });
  const [line] = await dbQuery<{ details: object }>(
    s.workorderEnv.env.DATABASE_URL!,
    `SELECT details FROM work_order_history WHERE work_order_id = $1 AND action = 'changeStation'`,
    [hzPending.id],
  );
  expect(line!.details).toEqual({ fromStationCode: 'HZ-01', stationCode: 'SZ-02' });
  expect(await kpi('HZ-01')).toEqual({ workOrders: 2, met: 1, missed: 1, pending: 0, rate: 0.5 });
  expect(await kpi('SZ-02')).toEqual({ workOrders: 2, met: 1, missed: 0, pending: 1, rate: 1 });
  expect(await board('HZ-01')).toEqual([hzMet.id, hzMissed.id].sort());

  // Refusals change nothing: same station, no reason, a technician, a bad code, a finished order.
  const change = (input: object, caller: Identity = boss) =>
    refusal(CHANGE, { input: { workOrderId: hzPending.id, ...input } }, caller);
  expect(await change({ stationCode: 'SZ-02', reason: 'again' })).toMatchObject({
    code: 'CONFLICT',
    reason: 'SAME_STATION',
  });
  expect(await change({ stationCode: 'HZ-01', reason: ' ' })).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'reason',
  });
  expect(
    await change(
      { stationCode: 'HZ-01', reason: 'x' },
      { userId: 'st-tech-hz', roles: ['technician'] },
    ),
  ).toMatchObject({ code: 'FORBIDDEN' });
  expect(await change({ stationCode: 'H Z', reason: 'x' })).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_STATION_CODE',
  });
  await gql(
    `mutation($id: ID!) { resolveOnSite(input: { workOrderId: $id, report: { cause: "fuse", responsibility: PRODUCT, workDone: "fuse replaced", partsReplaced: [], oldPartsCollected: false, oldParts: [] } }) { workOrder { status } } }`,
    { id: hzMet.id },
  );
  expect(
    await refusal(CHANGE, {
      input: { workOrderId: hzMet.id, stationCode: 'SZ-02', reason: 'too late' },
    }),
  ).toMatchObject({ code: 'CONFLICT', reason: 'STATION_CHANGE_AFTER_COMPLETION' });
  expect(await kpi('SZ-02')).toMatchObject({ workOrders: 2 });

  // Every work-order event carries the station; workorder.completed reports the order's.
  const events = await dbQuery<{ type: string; station: string | null }>(
    s.workorderEnv.env.DATABASE_URL!,
    `SELECT type, payload->'data'->>'stationCode' AS station FROM outbox WHERE aggregate_id = $1 ORDER BY id`,
    [hzMet.id],
  );
  expect(events.map((e) => e.type)).toEqual([
    'workorder.registered',
    'workorder.dispatched',
    'workorder.arrived',
    'workorder.completed',
  ]);
  expect(new Set(events.map((e) => e.station))).toEqual(new Set(['HZ-01']));

  // gRPC: the station of an order and of a staff member.
  const client = testGrpcClient(pb.WorkOrderServiceClient, `127.0.0.1:${s.workorder.grpcPort}`, {
    identity: { userId: 'svc', roles: ['service'] },
  });
  try {
    const { workOrder } = await client.getWorkOrder({ id: hzPending.id });
    expect(workOrder?.stationCode).toBe('SZ-02');
    const { staff: found } = await client.batchGetStaff({ ids: ['st-tech-hz', 'st-boss'] });
    expect(found.map((s) => s.stationCode)).toEqual(['HZ-01']);
  } finally {
    client.close();
  }
});
