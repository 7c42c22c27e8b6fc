import { uuidv7 } from '@aftercare/kit';
import type {
  ComplaintRegistered,
  SurveyFollowUpCalled,
  WorkOrderRegistered,
} from '@aftercare/events';
import { customerV1 as pb } from '@aftercare/proto';
import {
  dbQuery,
  eventually,
  publishEnvelope,
  testEnvelope,
  type TestServiceEnv,
  testServiceEnv,
  testGrpcClient,
  statementsIn,
} from '@aftercare/testkit';
import { loadCustomerConfig, startCustomerService } from '../../src';

// R-CU-5: repair-request and complaint calls taken down by other services land in the
// customer's contact log, once per event, from the real streams.
let env: TestServiceEnv;
let service: Awaited<ReturnType<typeof startCustomerService>>;
let customerId: string;

/** A person's file, created through gRPC: its file check waits for a first visit (R-CU-6). */
async function newPerson(name: string, mobile: string): Promise<string> {
  const client = testGrpcClient(pb.CustomerServiceClient, `127.0.0.1:${service.grpcPort}`, {
    identity: { userId: 'agent-1', roles: ['agent'] },
  });
  try {
    const { customer } = await client.createCustomer({
      kind: pb.CustomerKind.CUSTOMER_KIND_PERSON,
      name,
      grade: 0,
      tags: [],
      responsibleStaffId: '',
      idempotencyKey: '',
      contacts: [{ name, role: '', mobile, phone: '', email: '', primary: true }],
      addresses: [
        {
          region: { province: 'Zhejiang', city: 'Hangzhou', district: '' },
          line: '',
          postalCode: '',
          primary: true,
        },
      ],
    });
    return customer!.id;
  } finally {
    client.close();
  }
}

beforeAll(async () => {
  env = await testServiceEnv('customer-contacts');
  service = await startCustomerService(loadCustomerConfig(env.env), {
    overrides: { relayPollIntervalMs: 100 },
  });
  customerId = await newPerson('Caller', '13512345678');
});

afterAll(async () => {
  await service?.stop();
  await env?.cleanup();
});

const entries = () =>
  dbQuery<{
    channel: string;
    direction: string;
    purpose: string;
    staff_id: string;
    reference: string;
    occurred_at: Date;
  }>(
    env.env.DATABASE_URL!,
    'SELECT channel, direction, purpose, staff_id, reference, occurred_at FROM contact_log WHERE customer_id = $1 ORDER BY occurred_at',
    [customerId],
  );

it('R-CU-5 logs a repair call and a complaint call once each, whatever the redeliveries; a follow-up complaint is not a second entry', async () => {
  const workOrderId = uuidv7();
  const registered = {
    workOrderId,
    number: 'WO-20261120-0001',
    status: 'REGISTERED',
    customerId,
    assetId: null,
    serviceType: 'WARRANTY',
    category: 'ELECTRICAL',
    region: { province: 'Zhejiang', city: 'Hangzhou', district: null },
    technicianIds: [],
    leadTechnicianId: null,
    calledAt: '2026-11-20T08:00:00.000Z',
    stationCode: null,
    channel: 'WALK_IN',
    answerDueAt: null,
    arrivalDueAt: null,
    onSiteDueAt: null,
    registeredBy: 'agent-7',
  } satisfies WorkOrderRegistered;
  const complaint = (channel: string, at: string): ComplaintRegistered => ({
    complaintId: uuidv7(),
    number: `CP-${channel}`,
    customerId,
    workOrderId,
    category: 'SERVICE_ATTITUDE',
    channel,
    majorReasons: [],
    repeatOfComplaintId: null,
    aboutStaffIds: ['tech-1'],
    receivedAt: at,
    recordedBy: 'cr-2',
  });
  const repair = testEnvelope('workorder.registered', workOrderId, registered);
  const byPhone = complaint('CALL_CENTRE', '2026-11-21T02:00:00.000Z');
  const phoned = testEnvelope('complaint.registered', byPhone.complaintId, byPhone);
  const onFollowUp = complaint('FOLLOW_UP', '2026-11-22T02:00:00.000Z');
  await publishEnvelope(env.subjectPrefix, repair);
  await publishEnvelope(env.subjectPrefix, repair, uuidv7()); // delivered a second time
  await publishEnvelope(env.subjectPrefix, phoned);
  await publishEnvelope(
    env.subjectPrefix,
    testEnvelope('complaint.registered', onFollowUp.complaintId, onFollowUp),
  );
  // Malformed: refused without poisoning the stream or writing anything.
  await publishEnvelope(
    env.subjectPrefix,
    testEnvelope('workorder.registered', workOrderId, { ...registered, channel: 'FAX' }),
  );

  const logged = await eventually(entries, (e) => e.length >= 2);
  await new Promise((r) => setTimeout(r, 1000));
  expect(await entries()).toHaveLength(2);
  expect(logged).toEqual([
    {
      channel: 'VISIT',
      direction: 'INBOUND',
      purpose: 'REPAIR_REQUEST',
      staff_id: 'agent-7',
      reference: `workorder:${workOrderId}`,
      occurred_at: new Date('2026-11-20T08:00:00.000Z'),
    },
    {
      channel: 'PHONE',
      direction: 'INBOUND',
      purpose: 'COMPLAINT',
      staff_id: 'cr-2',
      reference: `complaint:${byPhone.complaintId}`,
      occurred_at: new Date('2026-11-21T02:00:00.000Z'),
    },
  ]);
});

it("R-CU-5 R-SV-2 logs a follow-up call once, as the agent's outbound call, however often and under whatever event id it comes", async () => {
  const workOrderId = uuidv7();
  const call = (callId: string, calledAt: string): SurveyFollowUpCalled => ({
    followUpId: uuidv7(),
    callId,
    workOrderId,
    customerId,
    sequence: 1,
    outcome: 'REACHED',
    followedUp: true,
    agentId: 'agent-3',
    calledAt,
    workOrderNumber: 'WO-20261124-0042',
    summary: 'car runs well',
    complaint: 'The technician left a mess',
  });
  const reached = call(uuidv7(), '2026-11-27T02:00:00.000Z');
  const envelope = testEnvelope('survey.follow_up_called', reached.followUpId, reached);
  await publishEnvelope(env.subjectPrefix, envelope);
  await publishEnvelope(env.subjectPrefix, envelope, uuidv7()); // delivered a second time
  // The same call published again under a new event id (a replay) is no second line either.
  await publishEnvelope(
    env.subjectPrefix,
    testEnvelope('survey.follow_up_called', reached.followUpId, reached),
  );
  // An event from before calls came by event: the survey service logged that call itself.
  const {
    workOrderNumber: _n,
    summary: _s,
    complaint: _c,
    ...older
  } = {
    ...call(uuidv7(), '2026-11-28T02:00:00.000Z'),
    outcome: 'NO_ANSWER' as const,
    followedUp: false,
  };
  await publishEnvelope(
    env.subjectPrefix,
    testEnvelope('survey.follow_up_called', older.followUpId, older),
  );
  const lines = () =>
    dbQuery<{
      channel: string;
      direction: string;
      purpose: string;
      summary: string;
      customer_request: string | null;
      staff_id: string;
      occurred_at: Date;
    }>(
      env.env.DATABASE_URL!,
      'SELECT channel, direction, purpose, summary, customer_request, staff_id, occurred_at FROM contact_log WHERE customer_id = $1 AND reference = $2 ORDER BY occurred_at',
      [customerId, `workorder:${workOrderId}`],
    );
  await eventually(lines, (l) => l.length >= 1);
  await new Promise((r) => setTimeout(r, 1000));
  expect(await lines()).toEqual([
    {
      channel: 'PHONE',
      direction: 'OUTBOUND',
      purpose: 'FOLLOW_UP',
      summary: 'Follow-up call 1 for WO-20261124-0042: reached. car runs well',
      customer_request: 'The technician left a mess',
      staff_id: 'agent-3',
      occurred_at: new Date('2026-11-27T02:00:00.000Z'),
    },
  ]);
});

it('R-CU-5 R-CU-6 an event costs its consumer four statements: BEGIN with the inbox row, the file, the entry with its event, COMMIT; a first visit one more (ADR 0034, 0036)', async () => {
  /** What each consumer has sent so far, transaction control included (the kit's counter). */
  const statementsOf = async (consumer: string) =>
    statementsIn(await service.metrics.render(), { kind: 'event_consumer', name: consumer });
  const newcomer = await newPerson('Newcomer', '13612345678');
  const order = (calledAt: string): WorkOrderRegistered => ({
    workOrderId: uuidv7(),
    number: `WO-${calledAt.slice(0, 10)}`,
    status: 'REGISTERED',
    customerId: newcomer,
    assetId: null,
    serviceType: 'PAID',
    category: 'ELECTRICAL',
    region: { province: 'Zhejiang', city: 'Hangzhou', district: null },
    technicianIds: [],
    leadTechnicianId: null,
    calledAt,
    stationCode: null,
    channel: 'PHONE',
    answerDueAt: null,
    arrivalDueAt: null,
    onSiteDueAt: null,
    registeredBy: 'agent-7',
  });
  const logged = (n: number) =>
    eventually(
      () =>
        dbQuery(env.env.DATABASE_URL!, 'SELECT id FROM contact_log WHERE customer_id = $1', [
          newcomer,
        ]),
      (rows) => rows.length >= n,
    );
  const registered = 'customer-on-workorder-registered';
  const cost = async (publish: () => Promise<unknown>, entries: number, consumer = registered) => {
    const before = await statementsOf(consumer);
    await publish();
    await logged(entries);
    return (await statementsOf(consumer)) - before;
  };
  const first = order('2026-12-01T08:00:00.000Z');
  const publishOrder = (o: WorkOrderRegistered) => () =>
    publishEnvelope(env.subjectPrefix, testEnvelope('workorder.registered', o.workOrderId, o));
  // The first visit also starts the clock: one more statement, once in the file's life.
  expect(await cost(publishOrder(first), 1)).toBe(5);
  expect(await cost(publishOrder(order('2026-12-02T08:00:00.000Z')), 2)).toBe(4);
  const complaint: ComplaintRegistered = {
    complaintId: uuidv7(),
    number: 'CP-COST',
    customerId: newcomer,
    workOrderId: first.workOrderId,
    category: 'SERVICE_ATTITUDE',
    channel: 'PHONE',
    majorReasons: [],
    repeatOfComplaintId: null,
    aboutStaffIds: [],
    receivedAt: '2026-12-03T02:00:00.000Z',
    recordedBy: 'cr-2',
  };
  expect(
    await cost(
      () =>
        publishEnvelope(
          env.subjectPrefix,
          testEnvelope('complaint.registered', complaint.complaintId, complaint),
        ),
      3,
      'customer-on-complaint-registered',
    ),
  ).toBe(4);
  const [check] = await dbQuery<{ work_order_id: string; first_visit_at: Date }>(
    env.env.DATABASE_URL!,
    'SELECT work_order_id, first_visit_at FROM customer_file_check WHERE customer_id = $1',
    [newcomer],
  );
  expect(check).toEqual({
    work_order_id: first.workOrderId,
    first_visit_at: new Date(first.calledAt),
  });
});
