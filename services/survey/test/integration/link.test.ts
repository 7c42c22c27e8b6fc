import { createHash } from 'node:crypto';
import { parse, Kind, type ObjectTypeDefinitionNode, type TypeNode } from 'graphql';
import { readFileSync } from 'node:fs';
import { dbQuery, type TestServiceEnv, testServiceEnv } from '@aftercare/testkit';
import { loadSurveyConfig, startSurveyService, type SurveyDeps } from '../../src';
import {
  answerByAgent,
  answerByToken,
  issueLink,
  surveysOfWorkOrders,
} from '../../src/app/surveys';
import { SCHEMA_PATH } from '../../src/service';
import { agent, completed, eventually, publish, streamEvents } from './support';

let env: TestServiceEnv;
let survey: Awaited<ReturnType<typeof startSurveyService>>;
let deps: SurveyDeps;

beforeAll(async () => {
  env = await testServiceEnv('survey-link', {
    // No customer service: these surveys have no customer to call.
    CUSTOMER_GRPC_ADDRESS: '127.0.0.1:1',
    REMINDER_SCHEDULER: 'false',
  });
  survey = await startSurveyService(loadSurveyConfig(env.env), {
    overrides: { relayPollIntervalMs: 100 },
    onReady: (d) => {
      deps = d;
    },
  });
});

afterAll(async () => {
  await survey?.stop();
  await env?.cleanup();
});

const ALL = ['attitude', 'skill', 'arrival_on_time', 'promises_kept'];
const answersAt = (level: string) => ALL.map((item) => ({ item, level }));

async function openSurvey() {
  const order = completed();
  await publish(env.subjectPrefix, 'workorder.completed', order);
  return (await eventually(
    async () => (await surveysOfWorkOrders(deps.orm.em.fork(), agent, [order.workOrderId]))[0],
    Boolean,
  ))!;
}

const answeredEvents = async (surveyId: string) =>
  (await streamEvents(env.subjectPrefix, 'survey')).filter(
    (e) => e.type === 'survey.answered' && e.data.surveyId === surveyId,
  );

it('R-SV-1 link tokens carry 192 random bits and only their SHA-256 is stored', async () => {
  const s = await openSurvey();
  const { token } = await issueLink(deps, agent, s.id);
  expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/); // 24 random bytes, base64url
  expect(Buffer.from(token, 'base64url')).toHaveLength(24);
  const [row] = await dbQuery<{ token_hash: string; whole: string }>(
    env.env.DATABASE_URL!,
    'SELECT token_hash, row_to_json(survey)::text AS whole FROM survey WHERE id = $1',
    [s.id],
  );
  expect(row!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
  expect(row!.whole).not.toContain(token);
  const tokens = new Set(
    await Promise.all(
      Array.from({ length: 5 }, async () => (await issueLink(deps, agent, s.id)).token),
    ),
  );
  expect(tokens.size).toBe(5);
});

it('R-SV-1 simultaneous answers with the same link token: exactly one is recorded, the others refused', async () => {
  const s = await openSurvey();
  const { token } = await issueLink(deps, agent, s.id);
  const levels = ['VERY_SATISFIED', 'SATISFIED', 'DISSATISFIED', 'VERY_DISSATISFIED', 'SATISFIED'];
  const results = await Promise.allSettled(
    levels.map((level) => answerByToken(deps, token, { answers: answersAt(level) })),
  );
  const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [levels[i]] : []));
  expect(won).toHaveLength(1);
  for (const r of results.filter((r) => r.status === 'rejected'))
    expect((r as PromiseRejectedResult).reason).toMatchObject({
      code: 'PERMISSION_DENIED',
      reason: 'SURVEY_LINK_INVALID',
    });
  const [row] = await dbQuery<{ answers: { items: { level: string }[] }; answered_via: string }>(
    env.env.DATABASE_URL!,
    'SELECT answers, answered_via FROM survey WHERE id = $1',
    [s.id],
  );
  expect(row!.answered_via).toBe('LINK');
  expect(row!.answers.items.map((a) => a.level)).toEqual(Array(4).fill(won[0]));
  await eventually(
    () => answeredEvents(s.id),
    (e) => e.length > 0,
  );
  await new Promise((r) => setTimeout(r, 300));
  expect(await answeredEvents(s.id)).toHaveLength(1);
});

it('R-SV-1 an agent and the link answering at the same moment: exactly one answer', async () => {
  const s = await openSurvey();
  const { token } = await issueLink(deps, agent, s.id);
  const results = await Promise.allSettled([
    answerByAgent(deps, agent, s.id, { answers: answersAt('SATISFIED') }),
    answerByToken(deps, token, { answers: answersAt('VERY_SATISFIED') }),
  ]);
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  await eventually(
    () => answeredEvents(s.id),
    (e) => e.length > 0,
  );
  await new Promise((r) => setTimeout(r, 300));
  expect(await answeredEvents(s.id)).toHaveLength(1);
});

it('R-SV-1 a bad answer through the link writes nothing and leaves the link usable', async () => {
  const s = await openSurvey();
  const { token } = await issueLink(deps, agent, s.id);
  await expect(
    answerByToken(deps, token, {
      answers: [...answersAt('SATISFIED'), { item: 'x', level: 'SATISFIED' }],
    }),
  ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'UNKNOWN_ITEM' });
  await expect(
    answerByToken(deps, token, { answers: answersAt('SOMEWHAT') }),
  ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  const [row] = await dbQuery<{ status: string; token_hash: string | null }>(
    env.env.DATABASE_URL!,
    'SELECT status, token_hash FROM survey WHERE id = $1',
    [s.id],
  );
  expect(row).toMatchObject({ status: 'OPEN' });
  expect(row!.token_hash).not.toBeNull();
  expect(await answerByToken(deps, token, { answers: answersAt('SATISFIED') })).toMatchObject({
    status: 'ANSWERED',
  });
});

it('R-SV-1 the public form type exposes no one: only the questions, no customer, staff, work order or survey ids', () => {
  const doc = parse(readFileSync(SCHEMA_PATH, 'utf8'));
  const type = (name: string) =>
    doc.definitions.find(
      (d): d is ObjectTypeDefinitionNode =>
        d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === name,
    )!;
  const named = (t: TypeNode): string =>
    t.kind === Kind.NAMED_TYPE ? t.name.value : named(t.type);
  const fields = (name: string) =>
    Object.fromEntries(type(name).fields!.map((f) => [f.name.value, named(f.type)]));
  expect(fields('SurveyForm')).toEqual({
    kind: 'SurveyKind',
    workOrderNumber: 'String',
    complaintNumber: 'String',
    items: 'SurveyTemplateItem',
    suggestions: 'Boolean',
    expiresAt: 'DateTime',
  });
  expect(fields('SurveyTemplateItem')).toEqual({ key: 'String', label: 'String' });
  expect(fields('AnswerSurveyByTokenPayload')).toEqual({
    recorded: 'Boolean',
    dissatisfied: 'Boolean',
  });
});

it('R-SV-1 a malformed completion event is refused without holding up the next one', async () => {
  const bad = { ...completed(), workOrderId: 'not-a-uuid' };
  await publish(env.subjectPrefix, 'workorder.completed', bad);
  // Published after the malformed one: it is handled while the bad one is refused (parked in the
  // survey's dead-letter stream at once, ADR 0025), so the stream is not held up.
  const s = await openSurvey();
  expect(s.status).toBe('OPEN');
});
