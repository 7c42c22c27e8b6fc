import { workOrderCompleted, workOrderRepeatRepair } from '@aftercare/events';
import { statementsIn } from '@aftercare/testkit';
import { streamEvents, eventually } from './support/events';
import { startSystem, type System } from './harness';
import { customerWithAsset as createCustomerWithAsset } from './support/intake';

let sys: System;
beforeAll(async () => {
  sys = await startSystem('e2e-wo');
  const staff = (id: string, name: string, team: string, skills: string[]) =>
    sys.gql(
      `mutation($input: UpsertStaffInput!) { upsertStaff(input: $input) { staff { id } } }`,
      {
        input: {
          id,
          name,
          team,
          skills,
          region: { province: 'Zhejiang', city: 'Hangzhou' },
          teamLeadId: 'lead-1',
        },
      },
      ['manager'],
    );
  for (const [id, name] of [
    ['tech-a', 'Wang Gang'],
    ['tech-b', 'Liu Yang'],
    ['tech-c', 'Zhao Min'],
  ] as const) {
    const r = await staff(id, name, 'east', ['ELECTRICAL', 'MECHANICAL']);
    expect(r.errors).toBeUndefined();
  }
});
afterAll(() => sys?.stop());

const customerWithAsset = (name: string, vin: string) => createCustomerWithAsset(sys, name, vin);

const REGISTER = `mutation($input: RegisterWorkOrderInput!) {
  registerWorkOrder(input: $input) {
    workOrder { id number status serviceType entitlementReason sla { arrivalDueAt answerDueAt onSiteDueAt } repeatOf { id } }
  }
}`;

const intake = (customerId: string, assetId: string, over: Record<string, unknown> = {}) => ({
  customerId,
  assetId,
  contact: { name: 'Mr Chen', phone: '13800001111' },
  address: {
    region: { province: 'Zhejiang', city: 'Hangzhou', district: 'Xihu' },
    line: '1 Lake Road',
  },
  areaType: 'URBAN',
  distanceKm: 12,
  faultDescription: 'will not start, dashboard shows battery warning',
  category: 'ELECTRICAL',
  channel: 'PHONE',
  ...over,
});

type Order = {
  id: string;
  number: string;
  status: string;
  serviceType: string;
  sla: { arrivalDueAt: string };
  repeatOf: { id: string } | null;
};
const register = async (input: object) => {
  const r = await sys.gql<{ registerWorkOrder: { workOrder: Order } }>(REGISTER, { input });
  expect(r.errors).toBeUndefined();
  return r.data!.registerWorkOrder.workOrder;
};
const act = async (
  mutation: string,
  variables: Record<string, unknown>,
  roles: Parameters<System['gql']>[2],
  user?: string,
) => {
  const r = await sys.gql<Record<string, { workOrder: { status: string } }>>(
    mutation,
    variables,
    roles,
    user,
  );
  return r;
};

const REPORT = {
  cause: 'corroded battery terminal',
  responsibility: 'PRODUCT',
  workDone: 'cleaned terminal, replaced battery',
  partsReplaced: [
    { code: 'BAT-12V', name: '12V battery', quantity: 1, reason: 'failed load test' },
  ],
  oldPartsCollected: true,
  oldParts: [{ name: '12V battery', quantity: 1 }],
  findings: { mileageKm: 15200, tamperingFound: false, warrantyEligible: true },
};

describe('work orders through the gateway (docs/rules.md §2)', () => {
  it('R-WO-1 R-WO-3 an urban call at 16:00 on a Friday is due on Monday inside working hours, as warranty service', async () => {
    const { customerId, assetId } = await customerWithAsset('Chen Hao', 'LSVAA4187E2000001');
    const order = await register(
      intake(customerId, assetId, { calledAt: '2026-11-20T16:00:00+08:00' }),
    );
    expect(order.number).toMatch(/^WO-20261120-\d{4}$/);
    expect(order.serviceType).toBe('WARRANTY');
    // 1.5 working hours on Friday (16:00–17:30) + 4.5 on Monday from 08:30.
    expect(new Date(order.sla.arrivalDueAt).toISOString()).toBe('2026-11-23T05:00:00.000Z'); // Monday 13:00 +08:00
  });

  it('R-WO-2 R-WO-4 R-WO-6 plays the on-site story: dispatch two with a lead, arrive, resolve, sign after the work, close — every step an event', async () => {
    const { customerId, assetId } = await customerWithAsset('Lin Tao', 'LSVAA4187E2000002');
    const order = await register(intake(customerId, assetId));

    const early = await act(
      `mutation($input: SignWorkOrderInput!) { signWorkOrder(input: $input) { workOrder { status } } }`,
      { input: { workOrderId: order.id, signerName: 'Lin Tao' } },
      ['technician'],
      'tech-a',
    );
    expect(early.errors?.[0]?.extensions?.code).toBe('FORBIDDEN'); // not assigned yet

    const noLead = await act(
      `mutation($input: DispatchWorkOrderInput!) { dispatchWorkOrder(input: $input) { workOrder { status } } }`,
      { input: { workOrderId: order.id, technicianIds: ['tech-a', 'tech-b'] } },
      ['dispatcher'],
    );
    expect(noLead.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'LEAD_REQUIRED',
    });
    const dispatched = await sys.gql<{
      dispatchWorkOrder: {
        workOrder: {
          status: string;
          technicians: { id: string }[];
          leadTechnician: { name: string };
        };
      };
    }>(
      `mutation($input: DispatchWorkOrderInput!) { dispatchWorkOrder(input: $input) { workOrder { status technicians { id } leadTechnician { name } } warnings { code } } }`,
      {
        input: {
          workOrderId: order.id,
          technicianIds: ['tech-a', 'tech-b'],
          leadTechnicianId: 'tech-a',
        },
      },
      ['dispatcher'],
    );
    expect(dispatched.errors).toBeUndefined();
    expect(dispatched.data!.dispatchWorkOrder.workOrder).toMatchObject({
      status: 'DISPATCHED',
      leadTechnician: { name: 'Wang Gang' },
    });

    const otherTech = await act(
      `mutation($id: ID!) { departForSite(input: { workOrderId: $id }) { workOrder { status } } }`,
      { id: order.id },
      ['technician'],
      'tech-c',
    );
    expect(otherTech.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const asTech = (m: string, v: Record<string, unknown>) => act(m, v, ['technician'], 'tech-b');
    expect(
      (
        await asTech(
          `mutation($id: ID!) { departForSite(input: { workOrderId: $id }) { workOrder { status } } }`,
          { id: order.id },
        )
      ).errors,
    ).toBeUndefined();
    expect(
      (
        await asTech(
          `mutation($id: ID!) { arriveOnSite(input: { workOrderId: $id }) { workOrder { status } } }`,
          { id: order.id },
        )
      ).errors,
    ).toBeUndefined();

    const signTooEarly = await asTech(
      `mutation($input: SignWorkOrderInput!) { signWorkOrder(input: $input) { workOrder { status } } }`,
      {
        input: { workOrderId: order.id, signerName: 'Lin Tao' },
      },
    );
    expect(signTooEarly.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'SIGNATURE_BEFORE_COMPLETION',
    });

    const resolved = await asTech(
      `mutation($input: ResolveOnSiteInput!) { resolveOnSite(input: $input) { workOrder { status } } }`,
      {
        input: { workOrderId: order.id, report: REPORT },
      },
    );
    expect(resolved.errors).toBeUndefined();
    const signed = await asTech(
      `mutation($input: SignWorkOrderInput!) { signWorkOrder(input: $input) { workOrder { status } } }`,
      {
        input: { workOrderId: order.id, signerName: 'Lin Tao' },
      },
    );
    expect(signed.errors).toBeUndefined();
    const closed = await act(
      `mutation($id: ID!) { closeWorkOrder(input: { workOrderId: $id }) { workOrder { status } } }`,
      { id: order.id },
      ['dispatcher'],
    );
    expect(closed.data?.closeWorkOrder?.workOrder.status).toBe('CLOSED');

    const illegal = await act(
      `mutation($id: ID!) { arriveOnSite(input: { workOrderId: $id }) { workOrder { status } } }`,
      { id: order.id },
      ['manager'],
    );
    expect(illegal.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'ILLEGAL_TRANSITION',
    });

    // The graph joins the customer archive and the work orders.
    const joined = await sys.gql<{
      customer: {
        name: string;
        workOrders: {
          nodes: {
            number: string;
            status: string;
            report: { cause: string };
            history: { action: string; actorId: string }[];
          }[];
        };
      };
    }>(
      `query($id: ID!) { customer(id: $id) { name workOrders { nodes { number status report { cause } history { action actorId } asset { vin } } } } }`,
      { id: customerId },
    );
    expect(joined.errors).toBeUndefined();
    const [item] = joined.data!.customer.workOrders.nodes;
    expect(item).toMatchObject({
      number: order.number,
      status: 'CLOSED',
      report: { cause: 'corroded battery terminal' },
    });
    expect(item!.history.map((h) => h.action)).toEqual([
      'register',
      'dispatch',
      'depart',
      'arrive',
      'resolveOnSite',
      'sign',
      'close',
    ]);

    const events = await eventually(
      () => streamEvents(sys.subjectPrefix, 'workorder'),
      (es) => es.some((e) => e.type === 'workorder.closed' && e.subject === order.id),
    );
    const mine = events.filter((e) => e.subject === order.id).map((e) => e.type);
    expect(mine).toEqual([
      'workorder.registered',
      'workorder.dispatched',
      'workorder.arrived',
      'workorder.completed',
      'workorder.signed',
      'workorder.closed',
    ]);
    const completed = events.find(
      (e) => e.type === 'workorder.completed' && e.subject === order.id,
    )!;
    // The published data honours the event contract consumers parse with.
    expect(workOrderCompleted.safeParse(completed.data).success).toBe(true);
    expect(completed.data).toMatchObject({
      serviceType: 'WARRANTY',
      technicianIds: ['tech-a', 'tech-b'],
      oldPartsCollected: true,
    });
  });

  it('R-WO-5 take-back repair: goods receipt, workshop register, repair card, return voids the receipt', async () => {
    const { customerId, assetId } = await customerWithAsset('Xu Bo', 'LSVAA4187E2000003');
    const order = await register(intake(customerId, assetId, { category: 'MECHANICAL' }));
    await act(
      `mutation($input: DispatchWorkOrderInput!) { dispatchWorkOrder(input: $input) { workOrder { status } } }`,
      { input: { workOrderId: order.id, technicianIds: ['tech-c'] } },
      ['dispatcher'],
    );
    const tech = (m: string, v: Record<string, unknown>) => act(m, v, ['technician'], 'tech-c');
    const workshop = (m: string, v: Record<string, unknown>) => act(m, v, ['workshop'], 'ws-1');
    await tech(
      `mutation($id: ID!) { departForSite(input: { workOrderId: $id }) { workOrder { status } } }`,
      {
        id: order.id,
      },
    );
    await tech(
      `mutation($id: ID!) { arriveOnSite(input: { workOrderId: $id }) { workOrder { status } } }`,
      {
        id: order.id,
      },
    );
    const taken = await sys.gql<{
      takeBack: {
        workOrder: { status: string; goodsReceipt: { number: string; voidedAt: string | null } };
      };
    }>(
      `mutation($input: TakeBackInput!) { takeBack(input: $input) { workOrder { status goodsReceipt { number voidedAt items { description } } } } }`,
      {
        input: {
          workOrderId: order.id,
          items: [{ description: 'gearbox', quantity: 1, serialNumber: 'GB-77' }],
        },
      },
      ['technician'],
      'tech-c',
    );
    expect(taken.errors).toBeUndefined();
    expect(taken.data!.takeBack.workOrder).toMatchObject({
      status: 'TAKEN_BACK',
      goodsReceipt: { number: expect.stringMatching(/^GR-\d{8}-\d{4}$/), voidedAt: null },
    });
    expect(
      (
        await workshop(
          `mutation($id: ID!) { receiveInWorkshop(input: { workOrderId: $id }) { workOrder { status } } }`,
          { id: order.id },
        )
      ).errors,
    ).toBeUndefined();
    const card = await workshop(
      `mutation($input: RecordRepairWorkInput!) { recordRepairWork(input: $input) { workOrder { status } } }`,
      {
        input: {
          workOrderId: order.id,
          hours: { hours: 3.5, date: '2026-11-24', description: 'gearbox overhaul' },
          part: { name: 'bearing', quantity: 2, reason: 'worn' },
        },
      },
    );
    expect(card.errors).toBeUndefined();
    const bad = await workshop(
      `mutation($input: RecordRepairWorkInput!) { recordRepairWork(input: $input) { workOrder { status } } }`,
      {
        input: {
          workOrderId: order.id,
          hours: { hours: 30, date: '2026-11-24', description: 'too long' },
        },
      },
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(
      (
        await workshop(
          `mutation($input: FinishRepairInput!) { finishRepair(input: $input) { workOrder { status } } }`,
          {
            input: {
              workOrderId: order.id,
              report: {
                ...REPORT,
                partsReplaced: undefined,
                cause: 'worn bearings',
                oldParts: [{ name: 'bearing', quantity: 2 }],
              },
            },
          },
        )
      ).errors,
    ).toBeUndefined();
    const returned = await sys.gql<{
      returnToCustomer: {
        workOrder: {
          status: string;
          goodsReceipt: { voidedAt: string };
          goodsRegister: { direction: string }[];
          repairCard: { totalHours: number; parts: { name: string }[] };
        };
      };
    }>(
      `mutation($id: ID!) { returnToCustomer(input: { workOrderId: $id }) { workOrder { status goodsReceipt { voidedAt } goodsRegister { direction } repairCard { totalHours parts { name } } } } }`,
      { id: order.id },
      ['workshop'],
      'ws-1',
    );
    expect(returned.errors).toBeUndefined();
    expect(returned.data!.returnToCustomer.workOrder).toMatchObject({
      status: 'RETURNED',
      goodsReceipt: { voidedAt: expect.any(String) },
      goodsRegister: [{ direction: 'IN' }, { direction: 'OUT' }],
      repairCard: { totalHours: 3.5, parts: [{ name: 'bearing' }] },
    });
    const lateCard = await workshop(
      `mutation($input: RecordRepairWorkInput!) { recordRepairWork(input: $input) { workOrder { status } } }`,
      { input: { workOrderId: order.id, part: { name: 'late part', quantity: 1, reason: 'x' } } },
    );
    expect(lateCard.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'NOT_IN_WORKSHOP',
    });
  });

  it('R-WO-8 the same fault on the same asset within 30 days is flagged a repeat repair', async () => {
    const { customerId, assetId } = await customerWithAsset('Gao Yu', 'LSVAA4187E2000004');
    const first = await register(intake(customerId, assetId));
    await act(
      `mutation($input: DispatchWorkOrderInput!) { dispatchWorkOrder(input: $input) { workOrder { status } } }`,
      { input: { workOrderId: first.id, technicianIds: ['tech-a'] } },
      ['dispatcher'],
    );
    for (const m of ['departForSite', 'arriveOnSite']) {
      await act(
        `mutation($id: ID!) { ${m}(input: { workOrderId: $id }) { workOrder { status } } }`,
        { id: first.id },
        ['technician'],
        'tech-a',
      );
    }
    await act(
      `mutation($input: ResolveOnSiteInput!) { resolveOnSite(input: $input) { workOrder { status } } }`,
      { input: { workOrderId: first.id, report: REPORT } },
      ['technician'],
      'tech-a',
    );

    const again = await register(intake(customerId, assetId));
    expect(again.repeatOf).toEqual({ id: first.id });
    const otherFault = await register(intake(customerId, assetId, { category: 'BODY' }));
    expect(otherFault.repeatOf).toBeNull();

    const events = await eventually(
      () => streamEvents(sys.subjectPrefix, 'workorder'),
      (es) => es.some((e) => e.type === 'workorder.repeat_repair' && e.subject === again.id),
    );
    const repeat = events.filter(
      (e) => e.type === 'workorder.repeat_repair' && e.subject === again.id,
    );
    expect(repeat).toHaveLength(1);
    expect(workOrderRepeatRepair.safeParse(repeat[0]!.data).success).toBe(true);
    expect(repeat[0]!.data).toMatchObject({
      repeatOfWorkOrderId: first.id,
      previousTechnicianIds: ['tech-a'],
    });
  });

  it("R-WO-4 the dispatch board puts yesterday's undispatched calls first and flags overdue ones", async () => {
    const { customerId, assetId } = await customerWithAsset('Ma Li', 'LSVAA4187E2000005');
    const old = await register(
      intake(customerId, assetId, {
        calledAt: new Date(Date.now() - 5 * 86_400_000).toISOString(),
        category: 'SOFTWARE',
      }),
    );
    const board = await sys.gql<{
      dispatchBoard: { workOrder: { id: string }; carriedOver: boolean; overdue: boolean }[];
    }>(
      `query { dispatchBoard(filter: { city: "Hangzhou" }) { workOrder { id number } carriedOver overdue dueAt } }`,
      {},
      ['dispatcher'],
    );
    expect(board.errors).toBeUndefined();
    const rows = board.data!.dispatchBoard;
    expect(rows[0]).toMatchObject({ carriedOver: true, overdue: true });
    expect(rows.find((r) => r.workOrder.id === old.id)).toMatchObject({
      carriedOver: true,
      overdue: true,
    });
    const firstNotCarried = rows.findIndex((r) => !r.carriedOver);
    if (firstNotCarried >= 0)
      expect(rows.slice(firstNotCarried).every((r) => !r.carriedOver)).toBe(true);
  });

  it('serves the dispatch board with its customers and assets in the same SQL statements whatever the page size (batched, no N+1)', async () => {
    for (let i = 0; i < 12; i++) {
      const { customerId, assetId } = await customerWithAsset(
        `Board ${i}`,
        `LSVAA4187E21${String(i).padStart(5, '0')}`,
      );
      await register(intake(customerId, assetId));
    }
    const BOARD = `query Board($first: Int) { dispatchBoard(first: $first) { workOrder { id number customer { id name } asset { id vin } } } }`;
    // What the services' own metrics count for GraphQL requests (each statement, BEGIN and COMMIT
    // included), so relays, consumers and schedulers running meanwhile are not counted.
    const graphqlStatements = async (service: 'workorder' | 'customer') => {
      const text = await (await fetch(`${sys.adminUrls()[service]}/metrics`)).text();
      return statementsIn(text, { kind: 'graphql' });
    };
    const statementsOf = async (first: number) => {
      const before = [await graphqlStatements('workorder'), await graphqlStatements('customer')];
      const res = await sys.gql<{ dispatchBoard: unknown[] }>(BOARD, { first }, ['dispatcher']);
      expect(res.errors).toBeUndefined();
      expect(res.data!.dispatchBoard).toHaveLength(first);
      return {
        workorder: (await graphqlStatements('workorder')) - before[0]!,
        customer: (await graphqlStatements('customer')) - before[1]!,
      };
    };
    const small = await statementsOf(3);
    const large = await statementsOf(12);
    expect(small.workorder).toBeGreaterThan(0);
    expect(small.customer).toBeGreaterThan(0);
    expect(large).toEqual(small);
  });

  it('checks roles: a technician cannot register or dispatch, an auditor reads but cannot cancel', async () => {
    const { customerId, assetId } = await customerWithAsset('Role Test', 'LSVAA4187E2000006');
    const asTech = await sys.gql(REGISTER, { input: intake(customerId, assetId) }, ['technician']);
    expect(asTech.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const order = await register(intake(customerId, assetId));
    const cancel = await sys.gql(
      `mutation($input: CancelWorkOrderInput!) { cancelWorkOrder(input: $input) { workOrder { status } } }`,
      { input: { workOrderId: order.id, reason: 'x' } },
      ['auditor'],
    );
    expect(cancel.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const read = await sys.gql<{ workOrder: { status: string } }>(
      `query($id: ID!) { workOrder(id: $id) { status } }`,
      { id: order.id },
      ['auditor'],
    );
    expect(read.data!.workOrder.status).toBe('REGISTERED');
    const noReason = await sys.gql(
      `mutation($input: CancelWorkOrderInput!) { cancelWorkOrder(input: $input) { workOrder { status } } }`,
      { input: { workOrderId: order.id, reason: ' ' } },
      ['agent'],
    );
    expect(noReason.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'reason',
    });
  });

  it("R-WO-7 paid service: charges in fen; a discount beyond the technician's authority waits for a manager before signing", async () => {
    const c = await sys.gql<{ createCustomer: { customer: { id: string } } }>(
      `mutation { createCustomer(input: { kind: PERSON, name: "Paying", contacts: [{ name: "P", mobile: "13900001234" }], addresses: [{ region: { province: "Zhejiang", city: "Hangzhou" } }] }) { customer { id } } }`,
    );
    const customerId = c.data!.createCustomer.customer.id;
    const a = await sys.gql<{ registerAsset: { asset: { id: string } } }>(
      `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: VEHICLE, model: "Old EV", vin: "LSVAA4187E2000007", warrantyStart: "2019-01-01", warrantyEnd: "2021-01-01" }) { asset { id } } }`,
      { id: customerId },
    );
    const order = await register(intake(customerId, a.data!.registerAsset.asset.id));
    expect(order.serviceType).toBe('PAID');
    await act(
      `mutation($input: DispatchWorkOrderInput!) { dispatchWorkOrder(input: $input) { workOrder { status } } }`,
      { input: { workOrderId: order.id, technicianIds: ['tech-b'] } },
      ['dispatcher'],
    );
    for (const m of ['departForSite', 'arriveOnSite']) {
      await act(
        `mutation($id: ID!) { ${m}(input: { workOrderId: $id }) { workOrder { status } } }`,
        { id: order.id },
        ['technician'],
        'tech-b',
      );
    }
    await act(
      `mutation($input: ResolveOnSiteInput!) { resolveOnSite(input: $input) { workOrder { status } } }`,
      { input: { workOrderId: order.id, report: REPORT } },
      ['technician'],
      'tech-b',
    );
    const charged = await sys.gql<{
      setCharges: {
        workOrder: {
          charges: {
            subtotalFen: number;
            discountFen: number;
            totalFen: number;
            discountStatus: string;
          };
        };
      };
    }>(
      `mutation($input: SetChargesInput!) { setCharges(input: $input) { workOrder { charges { subtotalFen discountFen totalFen discountStatus } } } }`,
      {
        input: {
          workOrderId: order.id,
          labourFen: 20000,
          partsFen: 45050,
          travelFen: 3000,
          discount: { kind: 'PERCENT', percent: 20 },
        },
      },
      ['technician'],
      'tech-b',
    );
    expect(charged.errors).toBeUndefined();
    expect(charged.data!.setCharges.workOrder.charges).toEqual({
      subtotalFen: 68050,
      discountFen: 13610,
      totalFen: 54440,
      discountStatus: 'PENDING_APPROVAL',
    });
    const sign = (user: string) =>
      act(
        `mutation($input: SignWorkOrderInput!) { signWorkOrder(input: $input) { workOrder { status } } }`,
        { input: { workOrderId: order.id, signerName: 'P' } },
        ['technician'],
        user,
      );
    expect((await sign('tech-b')).errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'DISCOUNT_PENDING_APPROVAL',
    });
    const approved = await act(
      `mutation($id: ID!) { approveDiscount(input: { workOrderId: $id }) { workOrder { status } } }`,
      { id: order.id },
      ['manager'],
      'boss',
    );
    expect(approved.errors).toBeUndefined();
    expect((await sign('tech-b')).data?.signWorkOrder?.workOrder.status).toBe('SIGNED');
  });

  it("R-WO-9 daily report: each technician's jobs by category, rolled up by team", async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
      new Date(),
    );
    const r = await sys.gql<{
      dailyReport: {
        teams: {
          team: string;
          totalJobs: number;
          technicians: {
            technicianId: string;
            technician: { name: string };
            lines: { category: string }[];
          }[];
        }[];
      };
    }>(
      `query($date: Date!) { dailyReport(date: $date) { date teams { team totalJobs completedJobs totalMinutes technicians { technicianId technician { name } totalJobs lines { category jobs completedJobs minutes } } } } }`,
      { date: today },
      ['dispatcher'],
    );
    expect(r.errors).toBeUndefined();
    const east = r.data!.dailyReport.teams.find((t) => t.team === 'east');
    expect(east).toBeDefined();
    expect(east!.totalJobs).toBeGreaterThanOrEqual(3);
    const techA = east!.technicians.find((t) => t.technicianId === 'tech-a');
    expect(techA).toMatchObject({ technician: { name: 'Wang Gang' } });
    expect(techA!.lines.map((l) => l.category)).toContain('ELECTRICAL');
  });
});
