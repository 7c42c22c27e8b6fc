import {
  type TestServiceEnv,
  dbQuery,
  rowCount,
  subgraphData,
  subgraphRequest,
  testAuth,
  testServiceEnv,
} from '@aftercare/testkit';
import { loadCustomerConfig, startCustomerService } from '@aftercare/customer-service';
import { loadSurveyConfig, startSurveyService, type SurveyDeps } from '../../src';
import { callList, followUpsOfWorkOrders, recordFollowUpCall } from '../../src/app/follow-ups';
import { createActivity, scanReminders } from '../../src/app/reminders';
import {
  answerByAgent,
  answerByToken,
  issueLink,
  surveysOfWorkOrders,
} from '../../src/app/surveys';
import { FollowUpCallRecord, SurveyRecord } from '../../src/db/entities';
import { customerDirectory } from '../../src/clients/customer-directory';
import {
  agent,
  complaintClosedEvent,
  completed,
  eventually,
  manager,
  publish,
  streamEvents,
} from './support';

let customerEnv: TestServiceEnv;
let customer: Awaited<ReturnType<typeof startCustomerService>>;
let env: TestServiceEnv;
let survey: Awaited<ReturnType<typeof startSurveyService>>;
let deps: SurveyDeps;
let customerId: string;
let assetId: string;
let prefix: string;

const em = () => deps.orm.em.fork();
/** The customer service; again on the same ports after a stop, so the survey service still reaches it. */
const startCustomer = (ports: Record<string, string> = {}) =>
  startCustomerService(loadCustomerConfig({ ...customerEnv.env, ...ports }), {
    overrides: { relayPollIntervalMs: 100 },
  });
const at = (iso: string) => () => new Date(iso);
const realNow = () => new Date();

beforeAll(async () => {
  customerEnv = await testServiceEnv('survey-int-customer');
  prefix = customerEnv.subjectPrefix;
  customer = await startCustomer();
  env = await testServiceEnv('survey-int', {
    CUSTOMER_GRPC_ADDRESS: `127.0.0.1:${customer.grpcPort}`,
    EVENT_SUBJECT_PREFIX: prefix,
    REMINDER_SCHEDULER: 'false',
  });
  survey = await startSurveyService(loadSurveyConfig(env.env), {
    overrides: { relayPollIntervalMs: 100 },
    onReady: (d) => {
      deps = d;
    },
  });
  const c = await subgraphData<{ createCustomer: { customer: { id: string } } }>(
    customer.httpPort,
    `mutation { createCustomer(input: { kind: PERSON, name: "Wang", contacts: [{ name: "Wang", mobile: "13800001111" }], addresses: [{ region: { province: "Zhejiang", city: "Hangzhou" } }] }) { customer { id } } }`,
    {},
    manager,
  );
  customerId = c.createCustomer.customer.id;
  const a = await subgraphData<{ registerAsset: { asset: { id: string } } }>(
    customer.httpPort,
    `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: VEHICLE, model: "EV", vin: "LSVAA4187E2100099", warrantyStart: "2025-03-31", warrantyEnd: "2027-03-31",
      contract: { number: "SC-1", startDate: "2026-01-15", endDate: "2027-01-15" } }) { asset { id } } }`,
    { id: customerId },
    manager,
  );
  assetId = a.registerAsset.asset.id;
});

afterAll(async () => {
  await survey?.stop();
  await customer?.stop();
  await env?.cleanup();
  await customerEnv?.cleanup();
});

afterEach(() => {
  deps.now = realNow;
});

const surveyOf = async (workOrderId: string) =>
  (await surveysOfWorkOrders(em(), agent, [workOrderId]))[0];

it('R-SV-1 R-SV-2 one survey and one two-call plan per completed work order, however often the event comes', async () => {
  const order = completed({ customerId, assetId });
  const eventId = await publish(prefix, 'workorder.completed', order, undefined, 3);
  // A second completion event of the same work order (a replay with a new id) changes nothing either.
  await publish(prefix, 'workorder.completed', order);
  await eventually(() => surveyOf(order.workOrderId), Boolean);
  await new Promise((r) => setTimeout(r, 500));
  const surveys = await dbQuery(
    env.env.DATABASE_URL!,
    'SELECT * FROM survey WHERE work_order_id = $1',
    [order.workOrderId],
  );
  expect(surveys).toHaveLength(1);
  const plan = await dbQuery<{ sequence: number; window_start: string; window_end: string }>(
    env.env.DATABASE_URL!,
    `SELECT sequence, to_char(window_start, 'YYYY-MM-DD') AS window_start, to_char(window_end, 'YYYY-MM-DD') AS window_end
       FROM follow_up WHERE work_order_id = $1 ORDER BY sequence`,
    [order.workOrderId],
  );
  // Completed 2026-11-24 11:00 Shanghai: first call 11-27..12-01, second the week after.
  expect(plan).toEqual([
    { sequence: 1, window_start: '2026-11-27', window_end: '2026-12-01' },
    { sequence: 2, window_start: '2026-12-02', window_end: '2026-12-08' },
  ]);
  const inbox = await dbQuery(env.env.DATABASE_URL!, 'SELECT * FROM inbox WHERE event_id = $1', [
    eventId,
  ]);
  expect(inbox).toHaveLength(1);
  const created = (await streamEvents(prefix, 'survey')).filter(
    (e) => e.type === 'survey.created' && e.data.workOrderId === order.workOrderId,
  );
  expect(created).toHaveLength(1);
});

it('R-SV-1 R-SV-4 a dissatisfied answer emits survey.dissatisfied once, in the answer transaction', async () => {
  const order = completed({ customerId, assetId, technicianIds: ['tech-9'] });
  await publish(prefix, 'workorder.completed', order);
  const s = (await eventually(() => surveyOf(order.workOrderId), Boolean))!;
  const answers = [
    { item: 'attitude', level: 'VERY_DISSATISFIED' },
    { item: 'skill', level: 'SATISFIED' },
    { item: 'arrival_on_time', level: 'SATISFIED' },
    { item: 'promises_kept', level: 'SATISFIED' },
  ];
  await expect(
    answerByAgent(deps, agent, s.id, { answers: answers.slice(1) }),
  ).rejects.toMatchObject({
    code: 'INVALID_ARGUMENT',
    reason: 'UNANSWERED_ITEMS',
  });
  await expect(
    answerByAgent(deps, { userId: 't', roles: ['technician'] }, s.id, { answers }),
  ).rejects.toMatchObject({
    code: 'PERMISSION_DENIED',
  });
  const answered = await answerByAgent(deps, agent, s.id, {
    answers,
    suggestions: 'rude on the phone',
  });
  expect(answered).toMatchObject({ status: 'ANSWERED', dissatisfied: true, answeredVia: 'AGENT' });
  await expect(answerByAgent(deps, agent, s.id, { answers })).rejects.toMatchObject({
    reason: 'SURVEY_ALREADY_ANSWERED',
  });
  const dissatisfied = await eventually(
    async () =>
      (await streamEvents(prefix, 'survey')).filter(
        (e) => e.type === 'survey.dissatisfied' && e.data.surveyId === s.id,
      ),
    (e) => e.length > 0,
  );
  await new Promise((r) => setTimeout(r, 300));
  expect(
    (await streamEvents(prefix, 'survey')).filter(
      (e) => e.type === 'survey.dissatisfied' && e.data.surveyId === s.id,
    ),
  ).toHaveLength(1);
  expect(dissatisfied[0]!.data).toMatchObject({
    reason: 'LOW_SCORE',
    workOrderId: order.workOrderId,
    customerId,
    technicianIds: ['tech-9'],
    lowItems: [{ item: 'attitude', level: 1 }],
    recordedBy: 'agent-1',
  });
});

it('R-SV-1 a link token answers once without login, and is refused when used or expired', async () => {
  const order = completed({ customerId });
  await publish(prefix, 'workorder.completed', order);
  const s = (await eventually(() => surveyOf(order.workOrderId), Boolean))!;
  const answers = ['attitude', 'skill', 'arrival_on_time', 'promises_kept'].map((item) => ({
    item,
    level: 'VERY_SATISFIED',
  }));
  const expired = await issueLink(deps, agent, s.id);
  deps.now = () => new Date(Date.now() + 169 * 3_600_000);
  await expect(answerByToken(deps, expired.token, { answers })).rejects.toMatchObject({
    reason: 'SURVEY_LINK_EXPIRED',
  });
  deps.now = realNow;
  const { token } = await issueLink(deps, agent, s.id);
  // The earlier link was replaced.
  await expect(answerByToken(deps, expired.token, { answers })).rejects.toMatchObject({
    reason: 'SURVEY_LINK_INVALID',
  });
  const done = await answerByToken(deps, token, { answers });
  expect(done).toMatchObject({ status: 'ANSWERED', answeredVia: 'LINK', dissatisfied: false });
  await expect(answerByToken(deps, token, { answers })).rejects.toMatchObject({
    code: 'PERMISSION_DENIED',
    reason: 'SURVEY_LINK_INVALID',
  });
  await expect(answerByToken(deps, 'not-a-token-at-all-really', { answers })).rejects.toMatchObject(
    {
      reason: 'SURVEY_LINK_INVALID',
    },
  );
});

it('R-SV-2 R-SV-4 call outcomes go to the contact log once; a complaint heard emits survey.dissatisfied', async () => {
  const order = completed({ customerId, completedAt: '2026-11-20T03:00:00.000Z' });
  await publish(prefix, 'workorder.completed', order);
  await eventually(() => surveyOf(order.workOrderId), Boolean);
  deps.now = at('2026-11-23T02:00:00Z');
  const list = await callList(deps, em(), agent, { date: '2026-11-23' });
  const first = list.items.find((f) => f.workOrderId === order.workOrderId && f.sequence === 1)!;
  expect(first).toBeDefined();
  expect(list.items.some((f) => f.workOrderId === order.workOrderId && f.sequence === 2)).toBe(
    false,
  );

  const noAnswer = await recordFollowUpCall(deps, agent, first.id, { outcome: 'NO_ANSWER' });
  expect(noAnswer).toMatchObject({ status: 'PLANNED', attempts: 1, followedUp: false });
  const reached = await recordFollowUpCall(deps, agent, first.id, {
    outcome: 'REACHED',
    summary: 'car runs well',
    complaint: 'The technician left a mess',
  });
  expect(reached).toMatchObject({ status: 'DONE', attempts: 2, followedUp: true });
  await expect(
    recordFollowUpCall(deps, agent, first.id, { outcome: 'REACHED' }),
  ).rejects.toMatchObject({
    reason: 'FOLLOW_UP_DONE',
  });
  // Both calls are in the customer's contact log (from their events), once each, even when an
  // event is delivered again.
  const contactLog = () =>
    dbQuery<{
      purpose: string;
      staff_id: string;
      customer_request: string | null;
    }>(
      customerEnv.env.DATABASE_URL!,
      `SELECT purpose, staff_id, customer_request FROM contact_log WHERE customer_id = $1 AND reference = $2 ORDER BY customer_request NULLS FIRST`,
      [customerId, `workorder:${order.workOrderId}`],
    );
  await eventually(contactLog, (l) => l.length >= 2);
  const called = (await streamEvents(prefix, 'survey')).filter(
    (e) => e.type === 'survey.follow_up_called' && e.data.followUpId === first.id,
  );
  expect(called).toHaveLength(2);
  await publish(prefix, 'survey.follow_up_called', called[1]!.data, called[1]!.id);
  await new Promise((r) => setTimeout(r, 1000));
  const logged = await contactLog();
  expect(logged).toEqual([
    { purpose: 'FOLLOW_UP', staff_id: 'agent-1', customer_request: null },
    { purpose: 'FOLLOW_UP', staff_id: 'agent-1', customer_request: 'The technician left a mess' },
  ]);
  const complaints = await eventually(
    async () =>
      (await streamEvents(prefix, 'survey')).filter(
        (e) => e.type === 'survey.dissatisfied' && e.data.followUpId === first.id,
      ),
    (e) => e.length > 0,
  );
  expect(complaints).toHaveLength(1);
  expect(complaints[0]!.data).toMatchObject({
    reason: 'COMPLAINT_ON_FOLLOW_UP',
    content: 'The technician left a mess',
  });
});

it('R-SV-2 the second call waits for the first and opens a week after the first call was made', async () => {
  const order = completed({ customerId, completedAt: '2026-11-20T03:00:00.000Z' });
  await publish(prefix, 'workorder.completed', order);
  await eventually(() => surveyOf(order.workOrderId), Boolean);
  const plan = async () => (await followUpsOfWorkOrders(em(), agent, [order.workOrderId]))[0]!;
  const [first, second] = await plan();
  expect(second).toMatchObject({ sequence: 2, status: 'WAITING' });
  const onList = async (date: string) =>
    (await callList(deps, em(), agent, { date, first: 100 })).items
      .filter((f) => f.workOrderId === order.workOrderId)
      .map((f) => f.sequence);
  // The first window is 11-23..11-27; the provisional second window (11-28..) is not callable yet.
  expect(await onList('2026-12-01')).toEqual([1]);
  await expect(
    recordFollowUpCall(deps, agent, second!.id, { outcome: 'REACHED' }),
  ).rejects.toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'FIRST_CALL_PENDING' });
  expect(await em().count(FollowUpCallRecord, { followUpId: second!.id })).toBe(0);
  // The first call is made on the last day of its window (11-27 in Shanghai).
  deps.now = at('2026-11-27T02:00:00Z');
  await recordFollowUpCall(deps, agent, first!.id, { outcome: 'NO_ANSWER' });
  expect((await plan())[1]).toMatchObject({ status: 'WAITING' });
  await recordFollowUpCall(deps, agent, first!.id, { outcome: 'REACHED' });
  expect((await plan())[1]).toMatchObject({
    status: 'PLANNED',
    windowStart: '2026-12-04',
    windowEnd: '2026-12-10',
    callDate: '2026-12-04',
  });
  expect(await onList('2026-12-03')).toEqual([]);
  expect(await onList('2026-12-04')).toEqual([2]);
});

it('R-SV-2 the call list is ordered oldest first and paged', async () => {
  deps.now = at('2026-12-31T02:00:00Z');
  const all = await callList(deps, em(), agent, { first: 100 });
  const pages = [];
  let after: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof callList>> = await callList(deps, em(), agent, {
      first: 2,
      after,
    });
    pages.push(...page.items.map((f) => f.id));
    after = page.nextCursor;
  } while (after);
  expect(pages).toEqual(all.items.map((f) => f.id));
  const dates = all.items.map((f) => f.callDate);
  expect(dates).toEqual([...dates].sort());
  await expect(callList(deps, em(), agent, { after: 'garbage' })).rejects.toMatchObject({
    reason: 'INVALID_CURSOR',
  });
});

it('R-SV-3 contract and warranty expiry reminders on the right days, once, even with replicas racing', async () => {
  await eventually(
    () => rowCount(env.env.DATABASE_URL!, 'asset_file'),
    (n) => n > 0,
  );
  const kinds = async () =>
    (
      await dbQuery<{ kind: string }>(
        env.env.DATABASE_URL!,
        'SELECT kind FROM reminder WHERE asset_id = $1 ORDER BY kind',
        [assetId],
      )
    ).map((r) => r.kind);
  deps.now = at('2026-12-14T10:00:00Z'); // 12-14 in Shanghai: a day before contract end − 1 month
  expect(await scanReminders(deps)).toBe(0);
  expect(await kinds()).toEqual([]);
  deps.now = at('2026-12-15T01:00:00Z');
  const racing = await Promise.all([scanReminders(deps), scanReminders(deps), scanReminders(deps)]);
  expect(racing.reduce((a, b) => a + b, 0)).toBe(1);
  expect(await kinds()).toEqual(['CONTRACT_EXPIRY']);
  deps.now = at('2026-12-30T10:00:00Z');
  expect(await scanReminders(deps)).toBe(0);
  deps.now = at('2026-12-31T01:00:00Z'); // warranty ends 2027-03-31: three months before
  expect(await scanReminders(deps)).toBe(1);
  expect(await scanReminders(deps)).toBe(0);
  expect(await kinds()).toEqual(['CONTRACT_EXPIRY', 'WARRANTY_EXPIRY']);
  const due = await eventually(
    async () =>
      (await streamEvents(prefix, 'survey')).filter((e) => e.type === 'survey.reminder_due'),
    (e) => e.length >= 2,
  );
  expect(due.map((e) => [e.data.kind, e.data.targetDate, e.data.notifyDate])).toEqual([
    ['CONTRACT_EXPIRY', '2027-01-15', '2026-12-15'],
    ['WARRANTY_EXPIRY', '2027-03-31', '2026-12-31'],
  ]);
});

it('R-SV-3 event invitations go to the customers of the region two weeks before', async () => {
  deps.now = at('2026-11-24T02:00:00Z');
  const activity = await createActivity(deps, manager, {
    name: 'Free check day',
    date: '2026-12-20',
    province: 'Zhejiang',
  });
  deps.now = at('2026-12-05T02:00:00Z');
  expect(await scanReminders(deps)).toBe(0);
  deps.now = at('2026-12-06T02:00:00Z');
  expect(await scanReminders(deps)).toBe(1);
  const rows = await dbQuery(
    env.env.DATABASE_URL!,
    'SELECT customer_id FROM reminder WHERE activity_id = $1',
    [activity.id],
  );
  expect(rows).toEqual([{ customer_id: customerId }]);
  await expect(
    createActivity(deps, agent, { name: 'x', date: '2026-12-20' }),
  ).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
});

it('R-SV-5 a closed complaint gets one complaint-handling survey', async () => {
  const closed = complaintClosedEvent({ customerId });
  await publish(prefix, 'complaint.closed', closed, undefined, 2);
  await publish(prefix, 'complaint.closed', closed);
  await eventually(
    () => em().count(SurveyRecord, { complaintId: closed.complaintId }),
    (n) => n > 0,
  );
  await new Promise((r) => setTimeout(r, 300));
  const rows = await em().find(SurveyRecord, { complaintId: closed.complaintId });
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ kind: 'COMPLAINT_HANDLING', customerId });
  expect(rows[0]!.template.code).toBe('COMPLAINT_HANDLING');
});

it('answers over the subgraph: templates and role checks', async () => {
  const templates = await subgraphData<{ surveyTemplates: { code: string }[] }>(
    survey.httpPort,
    '{ surveyTemplates { code } }',
    {},
    agent,
  );
  expect(templates.surveyTemplates.map((t) => t.code)).toEqual([
    'COMPLAINT_HANDLING',
    'TECHNICIAN_EVALUATION',
  ]);
  const denied = await subgraphRequest(
    survey.httpPort,
    '{ satisfactionRate(from: "2026-11-01", to: "2026-11-30") { rate } }',
    {},
    agent,
  );
  expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const bad = await subgraphRequest(
    survey.httpPort,
    '{ satisfactionRate(from: "2026-11-30", to: "2026-11-01") { rate } }',
    {},
    manager,
  );
  expect(bad.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_PERIOD',
  });
});

it('R-SV-2 R-SV-3 with the customer service down, calls wait for the contact log and reminders use the known dates', async () => {
  const closing: (() => void | Promise<void>)[] = [];
  const dead = customerDirectory({
    config: { CUSTOMER_GRPC_ADDRESS: '127.0.0.1:1', GRPC_CALL_TIMEOUT_MS: 500 },
    calls: { auth: testAuth('survey') },
    lifecycle: { onShutdown: (_name, close) => void closing.push(close) },
  });
  const offline: SurveyDeps = { ...deps, customers: dead };
  try {
    const a = await subgraphData<{ registerAsset: { asset: { id: string } } }>(
      customer.httpPort,
      `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: VEHICLE, model: "EV2", vin: "LSVAA4187E2100100",
        contract: { number: "SC-2", startDate: "2026-02-20", endDate: "2027-02-20" } }) { asset { id } } }`,
      { id: customerId },
      manager,
    );
    const second = a.registerAsset.asset.id;
    await eventually(
      () =>
        dbQuery(env.env.DATABASE_URL!, 'SELECT 1 FROM asset_file WHERE asset_id = $1', [second]),
      (r) => r.length > 0,
    );
    offline.now = at('2027-01-20T02:00:00Z');
    expect(await scanReminders(offline)).toBe(1);
    const rows = await dbQuery(
      env.env.DATABASE_URL!,
      'SELECT kind FROM reminder WHERE asset_id = $1',
      [second],
    );
    expect(rows).toEqual([{ kind: 'CONTRACT_EXPIRY' }]);

    const order = completed({ customerId, completedAt: '2026-11-10T03:00:00.000Z' });
    await publish(prefix, 'workorder.completed', order);
    await eventually(() => surveyOf(order.workOrderId), Boolean);
    const [plan] = await followUpsOfWorkOrders(em(), agent, [order.workOrderId]);
    offline.now = realNow;
    const ports = { HTTP_PORT: String(customer.httpPort), GRPC_PORT: String(customer.grpcPort) };
    await customer.stop();
    const followUp = await recordFollowUpCall(offline, agent, plan![0]!.id, { outcome: 'REFUSED' });
    expect(followUp).toMatchObject({ status: 'DONE', followedUp: true });
    const contactLog = () =>
      dbQuery(customerEnv.env.DATABASE_URL!, 'SELECT 1 FROM contact_log WHERE reference = $1', [
        `workorder:${order.workOrderId}`,
      ]);
    expect(await contactLog()).toEqual([]);
    // Back online: the customer service catches up from the stream.
    customer = await startCustomer(ports);
    await eventually(contactLog, (l) => l.length > 0);
    const logged = await dbQuery(
      customerEnv.env.DATABASE_URL!,
      'SELECT summary FROM contact_log WHERE reference = $1',
      [`workorder:${order.workOrderId}`],
    );
    expect(logged).toEqual([{ summary: `Follow-up call 1 for ${order.number}: refused to talk` }]);
  } finally {
    for (const close of closing) await close();
  }
});

it('R-SV-3 every candidate asset is scanned page by page; one registered after its reminder day gets it late, never after the date itself', async () => {
  const register = async (vin: string, dates: string) => {
    const a = await subgraphData<{ registerAsset: { asset: { id: string } } }>(
      customer.httpPort,
      `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: VEHICLE, model: "EV3", vin: "${vin}", ${dates} }) { asset { id } } }`,
      { id: customerId },
      manager,
    );
    return a.registerAsset.asset.id;
  };
  // Scanned on 2027-01-20 (Shanghai).
  const late = await register(
    'LSVAA4187E2100201',
    'warrantyStart: "2025-02-10", warrantyEnd: "2027-02-10"',
  ); // due 2026-11-10
  const onTime = await register(
    'LSVAA4187E2100202',
    'contract: { number: "SC-3", startDate: "2026-02-15", endDate: "2027-02-15" }',
  ); // due 2027-01-15
  const passed = await register(
    'LSVAA4187E2100203',
    'warrantyStart: "2025-01-19", warrantyEnd: "2027-01-19"',
  );
  const tomorrow = await register(
    'LSVAA4187E2100204',
    'warrantyStart: "2025-04-21", warrantyEnd: "2027-04-21"',
  ); // due 01-21
  const mine = [late, onTime, passed, tomorrow];
  await eventually(
    () =>
      dbQuery(
        env.env.DATABASE_URL!,
        'SELECT 1 FROM asset_file WHERE asset_id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid)',
        [JSON.stringify(mine)],
      ),
    (r) => r.length === mine.length,
  );
  const reminders = async () =>
    dbQuery<{ asset_id: string; kind: string; notify_date: string }>(
      env.env.DATABASE_URL!,
      `SELECT asset_id, kind, to_char(notify_date, 'YYYY-MM-DD') AS notify_date FROM reminder
        WHERE asset_id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid) ORDER BY notify_date`,
      [JSON.stringify(mine)],
    );
  deps.now = at('2027-01-20T02:00:00Z');
  // Pages of one asset: every candidate is reached, not only the first page.
  await scanReminders(deps, 1);
  expect(await reminders()).toEqual([
    { asset_id: late, kind: 'WARRANTY_EXPIRY', notify_date: '2026-11-10' },
    { asset_id: onTime, kind: 'CONTRACT_EXPIRY', notify_date: '2027-01-15' },
  ]);
  deps.now = at('2027-01-21T02:00:00Z');
  await Promise.all([scanReminders(deps, 1), scanReminders(deps, 2)]);
  expect((await reminders()).map((r) => r.asset_id)).toEqual([late, onTime, tomorrow]);
});

it('R-SV-3 maintenance due is reminded every cycle, not only the first due date the customer file gives', async () => {
  const a = await subgraphData<{ registerAsset: { asset: { id: string } } }>(
    customer.httpPort,
    `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: VEHICLE, model: "EV4", vin: "LSVAA4187E2100301",
      maintenanceCycleDays: 30, lastMaintenance: "2026-10-01" }) { asset { id } } }`,
    { id: customerId },
    manager,
  );
  const id = a.registerAsset.asset.id; // first due 2026-10-31, then every 30 days
  await eventually(
    () => dbQuery(env.env.DATABASE_URL!, 'SELECT 1 FROM asset_file WHERE asset_id = $1', [id]),
    (r) => r.length > 0,
  );
  const reminders = async () =>
    (
      await dbQuery<{ target: string; notify: string }>(
        env.env.DATABASE_URL!,
        `SELECT to_char(target_date, 'YYYY-MM-DD') AS target, to_char(notify_date, 'YYYY-MM-DD') AS notify
           FROM reminder WHERE asset_id = $1 AND kind = 'MAINTENANCE_DUE' ORDER BY target_date`,
        [id],
      )
    ).map((r) => [r.target, r.notify]);
  // 2027-01-20: 10-31, 11-30 and 12-30 have passed unreminded (long before); next is 01-29.
  deps.now = at('2027-01-20T02:00:00Z');
  await scanReminders(deps);
  expect(await reminders()).toEqual([]);
  deps.now = at('2027-01-22T02:00:00Z');
  await scanReminders(deps);
  await scanReminders(deps);
  deps.now = at('2027-02-21T02:00:00Z');
  await scanReminders(deps);
  expect(await reminders()).toEqual([
    ['2027-01-29', '2027-01-22'],
    ['2027-02-28', '2027-02-21'],
  ]);
});
