import { dbQuery, TEST_NATS_URL } from '@aftercare/testkit';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { surveyDissatisfied } from '@aftercare/events';
import { addDays, scanReminders } from '@aftercare/survey-service';
import { startSystem, type System } from './harness';
import { eventually, streamEvents } from './support/events';

// Issue 6 through the gateway and NATS: work orders really completed by the work-order service
// get one survey and one follow-up plan; answers, links, follow-up calls, reminders and scores.
let sys: System;
let customerId: string;
let assetId: string;

const ok = async <T = Record<string, unknown>>(
  q: string,
  v: Record<string, unknown> = {},
  roles: Parameters<System['gql']>[2] = ['agent'],
  user?: string,
): Promise<T> => {
  const r = await sys.gql<T>(q, v, roles, user);
  expect(r.errors).toBeUndefined();
  return r.data as T;
};

beforeAll(async () => {
  sys = await startSystem('e2e-survey');
  for (const id of ['tech-s1', 'tech-s2'])
    await ok(
      `mutation($id: ID!, $name: String!) { upsertStaff(input: { id: $id, name: $name, skills: ["ELECTRICAL", "MECHANICAL", "BODY", "BATTERY", "SOFTWARE", "OTHER"] }) { staff { id } } }`,
      { id, name: id },
      ['manager'],
    );
  const c = await ok<{ createCustomer: { customer: { id: string } } }>(
    `mutation { createCustomer(input: { kind: PERSON, name: "Survey Owner", contacts: [{ name: "S", mobile: "13800005555" }], addresses: [{ region: { province: "Jiangsu", city: "Suzhou" } }] }) { customer { id } } }`,
  );
  customerId = c.createCustomer.customer.id;
  const a = await ok<{ registerAsset: { asset: { id: string } } }>(
    `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: VEHICLE, model: "E-Car", vin: "LSVAA4187E2100777", warrantyStart: "2026-01-01", warrantyEnd: "2028-06-30",
      contract: { number: "SC-77", startDate: "2026-01-01", endDate: "2027-07-31" } }) { asset { id } } }`,
    { id: customerId },
  );
  assetId = a.registerAsset.asset.id;
});
afterAll(() => sys?.stop());

/** Registers, dispatches and resolves a warranty work order on site: the real completion. */
async function completeOrder(technicianIds: string[]): Promise<string> {
  const wo = await ok<{ registerWorkOrder: { workOrder: { id: string } } }>(
    `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`,
    {
      input: {
        customerId,
        assetId,
        contact: { name: 'S', phone: '13800005555' },
        address: { region: { province: 'Jiangsu', city: 'Suzhou' } },
        areaType: 'URBAN',
        distanceKm: 3,
        faultDescription: 'no power',
        category: 'ELECTRICAL',
        channel: 'PHONE',
      },
    },
  );
  const id = wo.registerWorkOrder.workOrder.id;
  await ok(
    `mutation($id: ID!, $t: [ID!]!, $lead: ID) { dispatchWorkOrder(input: { workOrderId: $id, technicianIds: $t, leadTechnicianId: $lead }) { workOrder { id } } }`,
    { id, t: technicianIds, lead: technicianIds.length > 1 ? technicianIds[0] : null },
    ['dispatcher'],
  );
  const tech = (q: string) => ok(q, { id }, ['technician'], technicianIds[0]);
  await tech(
    `mutation($id: ID!) { departForSite(input: { workOrderId: $id }) { workOrder { status } } }`,
  );
  await tech(
    `mutation($id: ID!) { arriveOnSite(input: { workOrderId: $id }) { workOrder { status } } }`,
  );
  await tech(
    `mutation($id: ID!) { resolveOnSite(input: { workOrderId: $id, report: { cause: "fuse", responsibility: PRODUCT, workDone: "fuse replaced", partsReplaced: [], oldPartsCollected: false, oldParts: [] } }) { workOrder { status } } }`,
  );
  return id;
}

type OrderView = {
  workOrder: {
    status: string;
    survey: { id: string; status: string; technicians: { id: string; name: string }[] } | null;
    followUps: { id: string; sequence: number; topics: string[] }[];
  };
};
const view = async (id: string) =>
  (
    await ok<OrderView>(
      `query($id: ID!) { workOrder(id: $id) { status survey { id status technicians { id name } } followUps { id sequence topics } } }`,
      { id },
    )
  ).workOrder;
const withSurvey = (id: string) =>
  eventually(
    () => view(id),
    (v) => v.survey !== null,
  );

const surveyRows = (workOrderId: string) =>
  dbQuery(sys.surveyEnv.env.DATABASE_URL!, 'SELECT id FROM survey WHERE work_order_id = $1', [
    workOrderId,
  ]);
const followUpRows = (workOrderId: string) =>
  dbQuery(sys.surveyEnv.env.DATABASE_URL!, 'SELECT id FROM follow_up WHERE work_order_id = $1', [
    workOrderId,
  ]);

/** Publishes an event of the stream again under a new message id: JetStream delivers it twice. */
async function redeliver(type: string, workOrderId: string): Promise<void> {
  const events = await streamEvents(sys.subjectPrefix, type.split('.')[0]!);
  const event = events.find((e) => e.type === type && e.data.workOrderId === workOrderId)!;
  const nc = await connect({ servers: TEST_NATS_URL });
  try {
    await jetstream(nc).publish(`${sys.subjectPrefix}.${type}`, JSON.stringify(event), {
      msgID: `${event.id}-again`,
    });
  } finally {
    await nc.close();
  }
}

const ANSWER = `mutation($input: AnswerSurveyInput!) { answerSurvey(input: $input) { survey { id status dissatisfied answeredVia } } }`;
const levels = (l: string[]) =>
  ['attitude', 'skill', 'arrival_on_time', 'promises_kept'].map((item, i) => ({
    item,
    level: l[i],
  }));

let dissatisfiedOrder: string;
let linkOrder: string;

it('R-SV-1 R-SV-2 a really completed work order gets exactly one survey and one follow-up plan, also when the event comes twice', async () => {
  const id = await completeOrder(['tech-s1']);
  dissatisfiedOrder = id;
  const seen = await withSurvey(id);
  expect(seen.survey).toMatchObject({
    status: 'OPEN',
    technicians: [{ id: 'tech-s1', name: 'tech-s1' }],
  });
  expect(seen.followUps.map((f) => f.sequence)).toEqual([1, 2]);
  expect(seen.followUps[0]!.topics.some((t) => seen.followUps[1]!.topics.includes(t))).toBe(false);
  await redeliver('workorder.completed', id);
  await new Promise((r) => setTimeout(r, 1000));
  expect(await surveyRows(id)).toHaveLength(1);
  expect(await followUpRows(id)).toHaveLength(2);
});

it('R-SV-1 exactly one survey when the survey service restarts mid-way (events arriving while it is down)', async () => {
  let id = '';
  await sys.restartSurvey(async () => {
    id = await completeOrder(['tech-s2']);
  });
  linkOrder = id;
  await withSurvey(id);
  await sys.restartSurvey();
  await redeliver('workorder.completed', id);
  await new Promise((r) => setTimeout(r, 1000));
  expect(await surveyRows(id)).toHaveLength(1);
  expect(await followUpRows(id)).toHaveLength(2);
});

it('R-SV-4 answering "dissatisfied" emits exactly one survey.dissatisfied on the stream', async () => {
  const { survey } = await view(dissatisfiedOrder);
  const answered = await ok<{ answerSurvey: { survey: { dissatisfied: boolean } } }>(ANSWER, {
    input: {
      surveyId: survey!.id,
      answers: levels(['DISSATISFIED', 'SATISFIED', 'SATISFIED', 'VERY_SATISFIED']),
    },
  });
  expect(answered.answerSurvey.survey.dissatisfied).toBe(true);
  const again = await sys.gql(ANSWER, {
    input: {
      surveyId: survey!.id,
      answers: levels(['DISSATISFIED', 'SATISFIED', 'SATISFIED', 'SATISFIED']),
    },
  });
  expect(again.errors?.[0]?.extensions).toMatchObject({
    code: 'CONFLICT',
    reason: 'SURVEY_ALREADY_ANSWERED',
  });
  const tech = await sys.gql(
    ANSWER,
    { input: { surveyId: survey!.id, answers: [] } },
    ['technician'],
    'tech-s1',
  );
  expect(tech.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const mine = (events: Awaited<ReturnType<typeof streamEvents>>) =>
    events.filter((e) => e.type === 'survey.dissatisfied' && e.data.surveyId === survey!.id);
  await eventually(
    () => streamEvents(sys.subjectPrefix, 'survey'),
    (e) => mine(e).length > 0,
  );
  await new Promise((r) => setTimeout(r, 500));
  const events = mine(await streamEvents(sys.subjectPrefix, 'survey'));
  expect(events).toHaveLength(1);
  // What the complaint service will parse.
  expect(() => surveyDissatisfied.parse(events[0]!.data)).not.toThrow();
  expect(events[0]!.data).toMatchObject({
    reason: 'LOW_SCORE',
    workOrderId: dissatisfiedOrder,
    customerId,
    technicianIds: ['tech-s1'],
    lowItems: [{ item: 'attitude', level: 2 }],
  });
});

it('R-SV-4 → R-CO-1 the dissatisfied answer opens exactly one complaint in the complaint service; its closure is surveyed (R-SV-5)', async () => {
  type Opened = {
    workOrder: {
      complaints: {
        nodes: {
          id: string;
          channel: string;
          category: string;
          status: string;
          content: string;
          customer: { id: string };
          aboutStaff: { id: string; name: string }[];
        }[];
      };
    };
  };
  const complaintsOf = async () =>
    (
      await ok<Opened>(
        `query($id: ID!) { workOrder(id: $id) { complaints { nodes { id channel category status content customer { id } aboutStaff { id name } } } } }`,
        { id: dissatisfiedOrder },
        ['customer_relations'],
      )
    ).workOrder.complaints.nodes;
  await eventually(complaintsOf, (c) => c.length > 0);
  // The same event delivered again must not open a second complaint.
  await redeliver('survey.dissatisfied', dissatisfiedOrder);
  await new Promise((r) => setTimeout(r, 1000));
  const complaints = await complaintsOf();
  expect(complaints).toHaveLength(1);
  expect(complaints[0]).toMatchObject({
    channel: 'FOLLOW_UP',
    category: 'SERVICE_ATTITUDE',
    status: 'RECORDED',
    customer: { id: customerId },
    aboutStaff: [{ id: 'tech-s1', name: 'tech-s1' }],
  });
  const complaintId = complaints[0]!.id;

  // Closing it (here: judged invalid, with the reason) surveys how it was handled, once.
  await ok(
    `mutation($id: ID!) { invalidateComplaint(input: { complaintId: $id, reason: "the technician followed the procedure; explained to the customer" }) { complaint { status } } }`,
    { id: complaintId },
    ['customer_relations'],
    'cr-survey',
  );
  type Handling = {
    complaint: {
      status: string;
      handlingSurvey: { kind: string; status: string; complaint: { id: string } } | null;
    };
  };
  const handled = await eventually(
    async () =>
      (
        await ok<Handling>(
          `query($id: ID!) { complaint(id: $id) { status handlingSurvey { kind status complaint { id } } } }`,
          { id: complaintId },
          ['customer_relations'],
        )
      ).complaint,
    (c) => c.handlingSurvey !== null,
  );
  expect(handled).toEqual({
    status: 'CLOSED_INVALID',
    handlingSurvey: { kind: 'COMPLAINT_HANDLING', status: 'OPEN', complaint: { id: complaintId } },
  });
  const rows = await dbQuery(
    sys.surveyEnv.env.DATABASE_URL!,
    'SELECT id FROM survey WHERE complaint_id = $1',
    [complaintId],
  );
  expect(rows).toHaveLength(1);
});

it('R-SV-1 the link token works anonymously once and is then refused; other anonymous operations stay refused', async () => {
  const { survey } = await view(linkOrder);
  const link = await ok<{ issueSurveyLink: { token: string } }>(
    `mutation($id: ID!) { issueSurveyLink(input: { surveyId: $id }) { token expiresAt } }`,
    { id: survey!.id },
  );
  const token = link.issueSurveyLink.token;
  const form = await sys.gql<{ surveyByToken: { items: { key: string }[] } }>(
    `query($t: String!) { surveyByToken(token: $t) { kind items { key label } suggestions expiresAt } }`,
    { t: token },
    null,
  );
  expect(form.errors).toBeUndefined();
  expect(form.data!.surveyByToken.items.map((i) => i.key)).toEqual([
    'attitude',
    'skill',
    'arrival_on_time',
    'promises_kept',
  ]);
  const ANON = `mutation($input: AnswerSurveyByTokenInput!) { answerSurveyByToken(input: $input) { recorded dissatisfied } }`;
  const input = {
    token,
    answers: levels(['VERY_SATISFIED', 'VERY_SATISFIED', 'SATISFIED', 'VERY_SATISFIED']),
    suggestions: 'Thanks',
  };
  const first = await sys.gql(ANON, { input }, null);
  expect(first.errors).toBeUndefined();
  expect(first.data).toEqual({ answerSurveyByToken: { recorded: true, dissatisfied: false } });
  const second = await sys.gql(ANON, { input }, null);
  expect(second.errors?.[0]?.extensions).toMatchObject({
    code: 'FORBIDDEN',
    reason: 'SURVEY_LINK_INVALID',
  });
  const formAgain = await sys.gql(
    `query($t: String!) { surveyByToken(token: $t) { kind } }`,
    { t: token },
    null,
  );
  expect(formAgain.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

  for (const q of [
    `{ survey(id: "${survey!.id}") { id } }`,
    `query($t: String!) { surveyByToken(token: $t) { kind } survey(id: "${survey!.id}") { id } }`,
    `mutation { answerSurvey(input: { surveyId: "${survey!.id}", answers: [] }) { survey { id } } }`,
    `{ workOrder(id: "${linkOrder}") { id } }`,
  ]) {
    const r = await sys.gql(q, { t: token }, null);
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  }
  expect((await view(linkOrder)).survey!.status).toBe('ANSWERED');
});

it('R-SV-5 KPI the satisfaction rate and a technician monthly rating match the hand-computed figures', async () => {
  // A third order, both technicians: S, S, VD, VS.
  const id = await completeOrder(['tech-s2', 'tech-s1']);
  const { survey } = await withSurvey(id);
  await ok(ANSWER, {
    input: {
      surveyId: survey!.id,
      answers: levels(['SATISFIED', 'SATISFIED', 'VERY_DISSATISFIED', 'VERY_SATISFIED']),
    },
  });
  const today = sys.surveyDeps.calendar.localDate(new Date());
  const month = today.slice(0, 7);
  // Answers: [D,S,S,VS] (tech-s1), [VS,VS,S,VS] (tech-s2), [S,S,VD,VS] (both): 10 of 12 satisfied.
  const rate = await ok<{ satisfactionRate: { answers: number; satisfied: number; rate: number } }>(
    `query($d: Date!) { satisfactionRate(from: $d, to: $d, province: "Jiangsu") { answers satisfied rate } }`,
    { d: today },
    ['manager'],
  );
  expect(rate.satisfactionRate).toEqual({ answers: 12, satisfied: 10, rate: 10 / 12 });
  const elsewhere = await ok<{ satisfactionRate: { answers: number; rate: number | null } }>(
    `query($d: Date!) { satisfactionRate(from: $d, to: $d, province: "Hebei") { answers rate } }`,
    { d: today },
    ['auditor'],
  );
  expect(elsewhere.satisfactionRate).toEqual({ answers: 0, rate: null });
  // tech-s1: (2+3+3+4) + (3+3+1+4) = 23 over 8 answers; tech-s2: (4+4+3+4) + (3+3+1+4) = 26 over 8.
  const staff = await ok<{
    s1: { surveyRating: { average: number; surveys: number } };
    s2: { surveyRating: { average: number } };
  }>(
    `query($m: String!) { s1: staff(id: "tech-s1") { surveyRating(month: $m) { average surveys } } s2: staff(id: "tech-s2") { surveyRating(month: $m) { average } } }`,
    { m: month },
    ['manager'],
  );
  expect(staff.s1.surveyRating).toEqual({ average: 23 / 8, surveys: 2 });
  expect(staff.s2.surveyRating.average).toBe(26 / 8);
  const own = await ok<{ technicianRating: { average: number } }>(
    `query($m: String!) { technicianRating(technicianId: "tech-s2", month: $m) { average } }`,
    { m: month },
    ['technician'],
    'tech-s2',
  );
  expect(own.technicianRating.average).toBe(26 / 8);
  const other = await sys.gql(
    `query($m: String!) { technicianRating(technicianId: "tech-s1", month: $m) { average } }`,
    { m: month },
    ['technician'],
    'tech-s2',
  );
  expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const agentScores = await sys.gql(
    `query($d: Date!) { satisfactionRate(from: $d, to: $d) { rate } }`,
    { d: today },
    ['agent'],
  );
  expect(agentScores.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

it('R-SV-2 KPI follow-up calls: call list, outcome in the contact log, follow-up rate of warranty orders', async () => {
  const today = sys.surveyDeps.calendar.localDate(new Date());
  type Page = {
    followUpCallList: {
      totalCount: number;
      nodes: { id: string; sequence: number; workOrder: { id: string } }[];
    };
  };
  const list = await ok<Page>(
    `query($d: Date!) { followUpCallList(date: $d, first: 10) { totalCount nodes { id sequence workOrder { id } } } }`,
    { d: addDays(today, 3) },
  );
  // Three orders completed today: their first calls are due in 3 days, the second calls not yet.
  expect(list.followUpCallList.nodes.map((f) => f.sequence)).toEqual([1, 1, 1]);
  const call = list.followUpCallList.nodes.find((f) => f.workOrder.id === dissatisfiedOrder)!;
  const recorded = await ok<{
    recordFollowUpCall: { followUp: { status: string; followedUp: boolean } };
  }>(
    `mutation($id: ID!) { recordFollowUpCall(input: { followUpId: $id, outcome: REACHED, summary: "all good now" }) { followUp { status followedUp } } }`,
    { id: call.id },
  );
  expect(recorded.recordFollowUpCall.followUp).toEqual({ status: 'DONE', followedUp: true });
  const log = await eventually(
    () =>
      ok<{ customer: { contactLog: { nodes: { purpose: string; reference: string }[] } } }>(
        `query($id: ID!) { customer(id: $id) { contactLog { nodes { purpose reference } } } }`,
        { id: customerId },
      ),
    (d) =>
      d.customer.contactLog.nodes.some(
        (e) => e.reference === `workorder:${dissatisfiedOrder}` && e.purpose === 'FOLLOW_UP',
      ),
  );
  // R-CU-5: the repair call taken at intake and the follow-up call, each logged once.
  expect(
    log.customer.contactLog.nodes
      .filter((e) => e.reference === `workorder:${dissatisfiedOrder}`)
      .map((e) => e.purpose)
      .sort(),
  ).toEqual(['FOLLOW_UP', 'REPAIR_REQUEST']);
  const rate = await ok<{ followUpRate: { workOrders: number; followedUp: number; rate: number } }>(
    `query($d: Date!) { followUpRate(from: $d, to: $d) { workOrders followedUp rate } }`,
    { d: today },
    ['manager'],
  );
  expect(rate.followUpRate).toEqual({ workOrders: 3, followedUp: 1, rate: 1 / 3 });
});

it('R-SV-3 contract and warranty expiry reminders are generated on their days, once, and shown on the customer', async () => {
  const deps = sys.surveyDeps;
  const real = deps.now;
  try {
    deps.now = () => new Date('2027-06-29T15:30:00Z'); // 2027-06-29 23:30 in Shanghai: a day early
    expect(await scanReminders(deps)).toBe(0);
    deps.now = () => new Date('2027-06-29T16:30:00Z'); // 2027-06-30 00:30: contract ends 07-31
    expect(await scanReminders(deps)).toBe(1);
    expect(await scanReminders(deps)).toBe(0);
    deps.now = () => new Date('2028-03-30T02:00:00Z'); // 2028-03-30: warranty ends 06-30
    expect(await scanReminders(deps)).toBe(1);
  } finally {
    deps.now = real;
  }
  const shown = await ok<{
    customer: {
      reminders: {
        nodes: { kind: string; targetDate: string; notifyDate: string; asset: { id: string } }[];
      };
    };
  }>(
    `query($id: ID!) { customer(id: $id) { reminders { nodes { kind targetDate notifyDate asset { id } } } } }`,
    { id: customerId },
  );
  expect(shown.customer.reminders.nodes).toEqual([
    {
      kind: 'WARRANTY_EXPIRY',
      targetDate: '2028-06-30',
      notifyDate: '2028-03-30',
      asset: { id: assetId },
    },
    {
      kind: 'CONTRACT_EXPIRY',
      targetDate: '2027-07-31',
      notifyDate: '2027-06-30',
      asset: { id: assetId },
    },
  ]);
});

it('R-SV-1 two simultaneous anonymous answers with one link through the gateway: exactly one is recorded', async () => {
  const id = await completeOrder(['tech-s1']);
  const { survey } = await withSurvey(id);
  const link = await ok<{ issueSurveyLink: { token: string } }>(
    `mutation($id: ID!) { issueSurveyLink(input: { surveyId: $id }) { token } }`,
    { id: survey!.id },
  );
  const ANON = `mutation($input: AnswerSurveyByTokenInput!) { answerSurveyByToken(input: $input) { recorded } }`;
  const answer = (level: string) =>
    sys.gql(
      ANON,
      { input: { token: link.issueSurveyLink.token, answers: levels(Array(4).fill(level)) } },
      null,
    );
  const results = await Promise.all([answer('VERY_SATISFIED'), answer('DISSATISFIED')]);
  expect(results.filter((r) => r.data?.answerSurveyByToken)).toHaveLength(1);
  expect(results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.reason)).toEqual([
    'SURVEY_LINK_INVALID',
  ]);
  const answered = await eventually(
    async () =>
      (await streamEvents(sys.subjectPrefix, 'survey')).filter(
        (e) => e.type === 'survey.answered' && e.data.surveyId === survey!.id,
      ),
    (e) => e.length > 0,
  );
  await new Promise((r) => setTimeout(r, 300));
  expect(
    (await streamEvents(sys.subjectPrefix, 'survey')).filter(
      (e) => e.type === 'survey.answered' && e.data.surveyId === survey!.id,
    ),
  ).toHaveLength(answered.length);
  expect(answered).toHaveLength(1);
});
