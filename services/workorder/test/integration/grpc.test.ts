import { AppError, type Identity } from '@aftercare/kit';
import { customerV1, workorderV1 as pb } from '@aftercare/proto';
import { subgraphData, testGrpcClient } from '@aftercare/testkit';
import { withCustomerForThisFile } from './with-customer';

// The work-order gRPC API other services call (inventory: CheckOpenForParts; complaint: staff).
const agent: Identity = { userId: 'agent-1', roles: ['agent', 'dispatcher', 'manager'] };
const s = withCustomerForThisFile('wo-grpc');

/** The subgraph, as the gateway would call it for `caller`. */
const subgraph = <T>(query: string, variables: object, caller: Identity = agent) =>
  subgraphData<T>(s.workorder.httpPort, query, variables, caller);

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

it('gets, lists and checks work orders for parts; closed orders refuse parts; roles apply', async () => {
  const customers = testGrpcClient(
    customerV1.CustomerServiceClient,
    `127.0.0.1:${s.customer.grpcPort}`,
    { identity: agent },
  );
  const client = testGrpcClient(pb.WorkOrderServiceClient, `127.0.0.1:${s.workorder.grpcPort}`, {
    identity: agent,
  });
  try {
    const { customer: c } = await customers.createCustomer(
      customerV1.CreateCustomerRequest.create({
        kind: customerV1.CustomerKind.CUSTOMER_KIND_PERSON,
        name: 'Grpc Test',
        contacts: [{ name: 'G', mobile: '13800002222' }],
        addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' } }],
      }),
    );
    const { asset } = await customers.registerAsset(
      customerV1.RegisterAssetRequest.create({
        customerId: c!.id,
        kind: customerV1.AssetKind.ASSET_KIND_EQUIPMENT,
        model: 'M',
        serialNumber: 'G-1',
      }),
    );
    await subgraph(
      `mutation { upsertStaff(input: { id: "tech-1", name: "Tech One", team: "north", teamLeadId: "lead-9", skills: ["MECHANICAL", "OTHER"] }) { staff { id } } }`,
      {},
    );
    const { registerWorkOrder } = await subgraph<{
      registerWorkOrder: { workOrder: { id: string; number: string } };
    }>(
      `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id number } } }`,
      {
        input: {
          customerId: c!.id,
          assetId: asset!.id,
          contact: { name: 'G', phone: '13800002222' },
          address: { region: { province: 'Zhejiang', city: 'Hangzhou' } },
          areaType: 'URBAN',
          distanceKm: 3,
          faultDescription: 'noise',
          category: 'MECHANICAL',
          channel: 'PHONE',
        },
      },
    );
    const id = registerWorkOrder.workOrder.id;

    const got = await client.getWorkOrder({ id });
    expect(got.workOrder).toMatchObject({
      id,
      number: registerWorkOrder.workOrder.number,
      status: pb.WorkOrderStatus.WORK_ORDER_STATUS_REGISTERED,
      serviceType: pb.ServiceType.SERVICE_TYPE_PAID,
      customerId: c!.id,
    });
    const listed = await client.listWorkOrders({
      customerId: c!.id,
      assetId: '',
      pageSize: 10,
      pageToken: '',
    });
    expect(listed).toMatchObject({ total: 1, nextPageToken: '' });
    expect((await client.checkOpenForParts({ workOrderId: id })).workOrder?.id).toBe(id);

    // A technician not assigned to the order may not see it.
    const other = await rejection(
      client.getWorkOrder({ id }, { identity: { userId: 'tech-1', roles: ['technician'] } }),
    );
    expect(other).toMatchObject({ code: 'PERMISSION_DENIED' });

    await subgraph(
      `mutation($id: ID!) { cancelWorkOrder(input: { workOrderId: $id, reason: "customer fixed it" }) { workOrder { status } } }`,
      { id },
    );
    const closed = await rejection(client.checkOpenForParts({ workOrderId: id }));
    expect(closed).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'WORK_ORDER_NOT_OPEN' });
    expect(await rejection(client.getWorkOrder({ id: 'nope' }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'id',
    });

    const staff = await client.batchGetStaff({ ids: ['tech-1', 'ghost'] });
    expect(staff.staff).toEqual([
      expect.objectContaining({ id: 'tech-1', team: 'north', teamLeadId: 'lead-9', active: true }),
    ]);
    expect(await rejection(client.getStaff({ id: 'ghost' }))).toMatchObject({ code: 'NOT_FOUND' });
  } finally {
    client.close();
    customers.close();
  }
});

it('R-WO-2 concurrent moves on one work order queue on its row lock: one wins, the other is an illegal transition', async () => {
  const customers = testGrpcClient(
    customerV1.CustomerServiceClient,
    `127.0.0.1:${s.customer.grpcPort}`,
    { identity: agent },
  );
  try {
    const { customer: c } = await customers.createCustomer(
      customerV1.CreateCustomerRequest.create({
        kind: customerV1.CustomerKind.CUSTOMER_KIND_PERSON,
        name: 'Race',
        contacts: [{ name: 'R', mobile: '13800005555' }],
        addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' } }],
      }),
    );
    const { registerWorkOrder } = await subgraph<{
      registerWorkOrder: { workOrder: { id: string } };
    }>(
      `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`,
      {
        input: {
          customerId: c!.id,
          contact: { name: 'R', phone: '13800005555' },
          address: { region: { province: 'Zhejiang', city: 'Hangzhou' } },
          areaType: 'URBAN',
          distanceKm: 1,
          faultDescription: 'x',
          category: 'OTHER',
          channel: 'PHONE',
          internalKind: 'INSPECTION',
        },
      },
    );
    const id = registerWorkOrder.workOrder.id;
    const dispatch = () =>
      subgraph(
        `mutation($id: ID!) { dispatchWorkOrder(input: { workOrderId: $id, technicianIds: ["tech-1"] }) { workOrder { status } } }`,
        { id },
      ).then(
        () => 'ok',
        (e: Error) => e.message,
      );
    const outcomes = await Promise.all([dispatch(), dispatch(), dispatch()]);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    for (const o of outcomes.filter((x) => x !== 'ok')) expect(o).toContain('ILLEGAL_TRANSITION');
  } finally {
    customers.close();
  }
});
