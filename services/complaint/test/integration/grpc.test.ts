import { AppError, type Identity, uuidv7 } from '@aftercare/kit';
import { complaintV1 as pb } from '@aftercare/proto';
import { complaintGraph, createCustomer, manager, servicesForThisFile, upsertStaff } from './setup';
import { destroyCustomerFile, rowCount, subgraphRequest, testGrpcClient } from '@aftercare/testkit';

// The complaint gRPC API on loopback: what other services and payroll call.
const s = servicesForThisFile('cp-grpc');

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const client = (identity: Identity) =>
  testGrpcClient(pb.ComplaintServiceClient, `127.0.0.1:${s.complaint.grpcPort}`, { identity });

it('R-CO-1 gets and lists complaints; R-PN-3 exports the month for payroll; roles and input are checked', async () => {
  const customerId = await createCustomer(s, 'Grpc Customer', '13800001111');
  const technician = uuidv7();
  await upsertStaff(s, { id: technician, name: 'Tech G' });
  const {
    registerComplaint: { complaint: c },
  } = await complaintGraph<{
    registerComplaint: { complaint: { id: string; number: string; status: string } };
  }>(
    s,
    `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id number status } } }`,
    {
      input: {
        complainant: { name: 'Mr Grpc', phone: '13800001111' },
        customerId,
        channel: 'PHONE',
        category: 'SERVICE_ATTITUDE',
        content: 'rude on the phone',
        demands: ['APOLOGY'],
        aboutStaffIds: [technician],
      },
    },
    manager,
  );
  expect(c.number).toMatch(/^CP-\d{8}-\d{5}$/);

  const service = client({ userId: 'survey-service', roles: ['service'] });
  const { complaint } = await service.getComplaint({ id: c.id });
  expect(complaint).toMatchObject({
    id: c.id,
    number: c.number,
    status: pb.ComplaintStatus.COMPLAINT_STATUS_RECORDED,
    customerId,
    channel: 'PHONE',
    category: 'SERVICE_ATTITUDE',
    demands: ['APOLOGY'],
    workOrderId: '',
  });
  const listed = await service.listComplaints(
    pb.ListComplaintsRequest.create({ customerId, pageSize: 10 }),
  );
  expect(listed.complaints.map((x) => x.id)).toEqual([c.id]);
  expect(listed.total).toBe(1);

  // A confirmed penalty appears in the month's export; a proposed one does not yet.
  const {
    proposePenalty: { penalty: p },
  } = await complaintGraph<{ proposePenalty: { penalty: { id: string } } }>(
    s,
    `mutation($input: ProposePenaltyInput!) { proposePenalty(input: $input) { penalty { id } } }`,
    { input: { ruleCode: 'VIOLATION', staffId: technician } },
    manager,
  );
  await complaintGraph(
    s,
    `mutation($id: ID!) { confirmPenalty(input: { penaltyId: $id }) { penalty { id } } }`,
    { id: p.id },
    manager,
  );
  const month = s.deps.calendar.localDate(new Date()).slice(0, 7);
  const exported = await service.exportMonthlyPenalties({ month });
  expect(exported.month).toBe(month);
  expect(exported.rows).toEqual([
    {
      staffId: technician,
      penaltyPoints: 2,
      finesFen: '400',
      rewardPoints: 0,
      rewardsFen: '0',
      netPoints: -2,
      netFen: '-400',
      entries: 1,
    },
  ]);

  // Typed errors: unknown id, malformed month, a technician reading payroll, no identity at all.
  expect((await rejection(service.getComplaint({ id: uuidv7() }))).code).toBe('NOT_FOUND');
  expect((await rejection(service.getComplaint({ id: 'nope' }))).code).toBe('INVALID_ARGUMENT');
  expect((await rejection(service.exportMonthlyPenalties({ month: '2026-13' }))).code).toBe(
    'INVALID_ARGUMENT',
  );
  const tech = client({ userId: technician, roles: ['technician'] });
  expect((await rejection(tech.exportMonthlyPenalties({ month }))).code).toBe('PERMISSION_DENIED');
  expect((await rejection(tech.getComplaint({ id: c.id }))).code).toBe('NOT_FOUND');
  service.close();
  tech.close();
});

it('R-CO-1 bad input is refused with a typed error and nothing is recorded', async () => {
  const customerId = await createCustomer(s, 'Careful Customer', '13800003333');
  const before = await rowCount(s.complaintEnv.env.DATABASE_URL!, 'complaint');
  const base = {
    complainant: { name: 'C', phone: '13800003333' },
    customerId,
    channel: 'PHONE',
    category: 'TRANSPORT',
    content: 'late delivery',
  };
  const attempt = (input: object, caller: Identity = manager) =>
    subgraphRequest(
      s.complaint.httpPort,
      `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id } } }`,
      { input },
      caller,
    ).then((r) => r.errors?.[0]?.extensions);
  expect(await attempt({ ...base, complainant: { name: 'C', phone: '12345' } })).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'complainant.phone',
  });
  expect(await attempt({ ...base, customerId: uuidv7() })).toMatchObject({ code: 'NOT_FOUND' });
  expect(await attempt({ ...base, workOrderId: uuidv7() })).toMatchObject({ code: 'NOT_FOUND' });
  expect(
    await attempt({ ...base, receivedAt: new Date(Date.now() + 86_400_000).toISOString() }),
  ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'receivedAt' });
  expect(await attempt({ ...base, demands: ['RETURN', 'RETURN'] })).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'DUPLICATE',
  });
  expect(await attempt(base, { userId: uuidv7(), roles: ['technician'] })).toMatchObject({
    code: 'FORBIDDEN',
  });
  expect(await attempt(base, { userId: uuidv7(), roles: ['auditor'] })).toMatchObject({
    code: 'FORBIDDEN',
  });
  expect(await rowCount(s.complaintEnv.env.DATABASE_URL!, 'complaint')).toBe(before);
});

it('R-CU-4 a complaint about a destroyed customer file is refused (FILE_DESTROYED) and nothing is recorded', async () => {
  const customerId = await createCustomer(s, 'Gone Customer', '13800006666');
  await destroyCustomerFile(
    { httpPort: s.customer.httpPort, databaseUrl: s.customerEnv.env.DATABASE_URL! },
    customerId,
  );
  const before = await rowCount(s.complaintEnv.env.DATABASE_URL!, 'complaint');
  const refused = await subgraphRequest(
    s.complaint.httpPort,
    `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id } } }`,
    {
      input: {
        complainant: { name: 'C', phone: '13800006666' },
        customerId,
        channel: 'PHONE',
        category: 'TRANSPORT',
        content: 'late delivery',
      },
    },
    manager,
  );
  expect(refused.errors?.[0]?.extensions).toMatchObject({
    code: 'CONFLICT',
    reason: 'FILE_DESTROYED',
    field: 'customerId',
  });
  expect(await rowCount(s.complaintEnv.env.DATABASE_URL!, 'complaint')).toBe(before);
});
