import { type SurveyDissatisfied, surveyDissatisfied } from '@aftercare/events';
import { uuidv7 } from '@aftercare/kit';
import { dbQuery, eventually, publishEnvelope, testEnvelope } from '@aftercare/testkit';
import { createCustomer, servicesForThisFile } from './setup';

// R-SV-4 → R-CO-1: survey.dissatisfied on the real NATS JetStream opens one FOLLOW_UP complaint.
const s = servicesForThisFile('cp-survey');

interface Row {
  id: string;
  channel: string;
  category: string;
  customer_id: string;
  content: string;
  about_staff_ids: string[];
  source_event_id: string;
  status: string;
  complainant: { name: string; phone: string | null };
}

const complaints = () =>
  dbQuery<Row>(s.complaintEnv.env.DATABASE_URL!, 'SELECT * FROM complaint ORDER BY id');

it('R-SV-4 opens one FOLLOW_UP complaint per survey.dissatisfied, even when delivered twice', async () => {
  const customerId = await createCustomer(s, 'Unhappy Customer', '13700007777');
  const technician = uuidv7();
  const data = {
    surveyId: uuidv7(),
    followUpId: null,
    customerId,
    workOrderId: null,
    assetId: null,
    technicianIds: [technician, 'tech-login'],
    reason: 'LOW_SCORE',
    content: 'attitude scored 1 of 4',
    lowItems: [{ item: 'attitude', level: 1 }],
    recordedBy: null,
    occurredAt: new Date(Date.now() - 60_000).toISOString(),
  } satisfies SurveyDissatisfied;
  expect(surveyDissatisfied.safeParse(data).success).toBe(true);
  const envelope = testEnvelope('survey.dissatisfied', data.surveyId, data);
  await publishEnvelope(s.subjectPrefix, envelope);
  // The same event again under another message id: JetStream delivers it a second time.
  await publishEnvelope(s.subjectPrefix, envelope, uuidv7());
  // A malformed one (no content) is refused (redelivered until given up), never a complaint.
  const bad = testEnvelope('survey.dissatisfied', 'x', { ...data, content: '' });
  await publishEnvelope(s.subjectPrefix, bad);

  const rows = await eventually(complaints, (r) => r.length >= 1);
  // Give the duplicate time to arrive and be skipped.
  await new Promise((r) => setTimeout(r, 1500));
  const after = await complaints();
  expect(after).toHaveLength(1);
  expect(rows[0]).toMatchObject({
    channel: 'FOLLOW_UP',
    category: 'SERVICE_ATTITUDE',
    customer_id: customerId,
    content: 'attitude scored 1 of 4',
    // Staff ids are the roster's user ids (token subjects), not necessarily UUIDs.
    about_staff_ids: [technician, 'tech-login'],
    source_event_id: envelope.id,
    status: 'RECORDED',
    complainant: { name: 'Unhappy Customer', phone: '13700007777' },
  });
  const history = await dbQuery<{ action: string; actor_id: string }>(
    s.complaintEnv.env.DATABASE_URL!,
    'SELECT action, actor_id FROM complaint_history WHERE complaint_id = $1',
    [rows[0]!.id],
  );
  expect(history).toEqual([{ action: 'record', actor_id: 'complaint-service' }]);
});
