import { createHash, randomBytes } from 'node:crypto';
import {
  changeOne,
  type ChangeOutcome,
  checkUuid,
  type EntityManager,
  eventMessage,
  groupByKeys,
  type Identity,
  keysetPagesByParent,
  notFound,
  type Page,
  type ParentPageRequest,
  requireRole,
  uuidv7,
} from '@aftercare/kit';
import type { ComplaintClosed, SurveyCreated, WorkOrderCompleted } from '@aftercare/events';
import { events } from '@aftercare/events';
import { FollowUpRecord, SurveyRecord, TemplateRecord } from '../db/entities';
import {
  answer,
  assertOpen,
  type AnswerInput,
  type AnsweredVia,
  checkLinkToken,
  COMPLAINT_HANDLING,
  linkExpiry,
  lowItems,
  parseTemplate,
  planFollowUps,
  type SurveyKind,
  type SurveyTemplate,
  type TemplateInput,
  validateAnswers,
} from '../domain';
import { CAN_CALL, CAN_MANAGE_TEMPLATES, CAN_READ } from './access';
import { type SurveyDeps } from './deps';

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

const templateOf = (r: TemplateRecord): SurveyTemplate => ({
  code: r.code,
  name: r.name,
  kind: r.kind,
  items: r.items,
  suggestions: r.suggestions,
});

async function template(em: EntityManager, code: string): Promise<SurveyTemplate> {
  const found = await em.findOne(TemplateRecord, { code });
  // A missing template is a deployment fault: fail the event so it is retried, never drop it.
  if (!found) throw new Error(`survey template ${code} does not exist`);
  return templateOf(found);
}

function createdEvent(s: SurveyRecord): SurveyCreated {
  return {
    surveyId: s.id,
    kind: s.kind,
    templateCode: s.template.code,
    workOrderId: s.workOrderId,
    complaintId: s.complaintId,
    customerId: s.customerId,
    technicianIds: s.technicianIds,
    serviceAt: s.serviceAt.toISOString(),
  };
}

/**
 * R-SV-1 / R-SV-2: one survey and its follow-up plan for every completed work order. Runs in the
 * consumer's inbox transaction; the unique index on the work order makes a second completion
 * event of the same order (or a replay without the inbox) a no-op.
 */
export async function onWorkOrderCompleted(
  deps: SurveyDeps,
  em: EntityManager,
  order: WorkOrderCompleted,
  eventTime: string,
): Promise<SurveyRecord | null> {
  const existing = await em.findOne(SurveyRecord, {
    kind: 'WORK_ORDER',
    workOrderId: order.workOrderId,
  });
  if (existing) return null;
  const serviceAt = new Date(order.completedAt ?? eventTime);
  const serviceDate = deps.calendar.localDate(serviceAt);
  const survey = em.create(SurveyRecord, {
    id: uuidv7(),
    kind: 'WORK_ORDER',
    template: await template(em, deps.settings.workOrderTemplate),
    workOrderId: order.workOrderId,
    workOrderNumber: order.number,
    customerId: order.customerId,
    assetId: order.assetId,
    technicianIds: order.technicianIds,
    province: order.region.province,
    city: order.region.city,
    district: order.region.district,
    stationCode: order.stationCode,
    serviceType: order.serviceType,
    serviceAt,
    serviceDate,
    status: 'OPEN',
    dissatisfied: false,
    createdAt: deps.now(),
  });
  // Without a customer (internal work) there is no one to call.
  if (order.customerId) {
    for (const call of planFollowUps(serviceDate, deps.settings.plan)) {
      em.create(FollowUpRecord, {
        id: uuidv7(),
        workOrderId: order.workOrderId,
        workOrderNumber: order.number,
        surveyId: survey.id,
        customerId: order.customerId,
        assetId: order.assetId,
        technicianIds: order.technicianIds,
        sequence: call.sequence,
        topics: call.topics,
        windowStart: call.windowStart,
        windowEnd: call.windowEnd,
        callDate: call.windowStart,
        status: call.status,
        attempts: 0,
        followedUp: false,
        serviceType: order.serviceType,
        province: order.region.province,
        city: order.region.city,
        district: order.region.district,
        stationCode: order.stationCode,
        serviceDate,
        createdAt: deps.now(),
      });
    }
  }
  await em.flush();
  deps.events.publish(em, events.survey.created, survey.id, createdEvent(survey));
  return survey;
}

/** R-SV-5: the handling of a closed complaint is itself surveyed, once per complaint. */
export async function onComplaintClosed(
  deps: SurveyDeps,
  em: EntityManager,
  complaint: ComplaintClosed,
): Promise<SurveyRecord | null> {
  if (!complaint.customerId) return null;
  const existing = await em.findOne(SurveyRecord, {
    kind: 'COMPLAINT_HANDLING',
    complaintId: complaint.complaintId,
  });
  if (existing) return null;
  const serviceAt = new Date(complaint.closedAt);
  const survey = em.create(SurveyRecord, {
    id: uuidv7(),
    kind: 'COMPLAINT_HANDLING',
    template: await template(em, COMPLAINT_HANDLING.code),
    workOrderId: complaint.workOrderId,
    complaintId: complaint.complaintId,
    complaintNumber: complaint.number,
    customerId: complaint.customerId,
    technicianIds: [],
    serviceAt,
    serviceDate: deps.calendar.localDate(serviceAt),
    status: 'OPEN',
    dissatisfied: false,
    createdAt: deps.now(),
  });
  await em.flush();
  deps.events.publish(em, events.survey.created, survey.id, createdEvent(survey));
  return survey;
}

/** The one way a survey gets answered: validated against its template, recorded, with its events. */
function recordAnswer(
  deps: SurveyDeps,
  survey: SurveyRecord,
  input: AnswerInput,
  via: AnsweredVia,
  by: string | null,
): ChangeOutcome {
  const answers = validateAnswers(survey.template, input);
  const now = deps.now();
  Object.assign(survey, answer(survey, answers, via, by, now));
  const low = lowItems(answers, deps.settings.dissatisfiedThreshold);
  survey.dissatisfied = low.length > 0;
  const answered = eventMessage(events.survey.answered, {
    surveyId: survey.id,
    kind: survey.kind,
    workOrderId: survey.workOrderId,
    complaintId: survey.complaintId,
    customerId: survey.customerId,
    technicianIds: survey.technicianIds,
    answers: answers.items,
    suggestions: answers.suggestions,
    answeredVia: via,
    answeredAt: now.toISOString(),
  });
  if (!low.length) return { events: [answered] };
  // R-SV-4: in the same transaction as the answer; a survey is answered once, so this is once.
  const dissatisfied = eventMessage(events.survey.dissatisfied, {
    surveyId: survey.id,
    followUpId: null,
    customerId: survey.customerId,
    workOrderId: survey.workOrderId,
    assetId: survey.assetId,
    technicianIds: survey.technicianIds,
    reason: 'LOW_SCORE',
    content: [
      `Dissatisfied with ${low.map((l) => `${l.item} (${l.level}/4)`).join(', ')}`,
      answers.suggestions,
    ]
      .filter(Boolean)
      .join('. '),
    lowItems: low,
    recordedBy: by,
    occurredAt: now.toISOString(),
  });
  return { events: [answered, dissatisfied] };
}

/** R-SV-1: an agent records the customer's answers during a call. */
export async function answerByAgent(
  deps: SurveyDeps,
  caller: Identity | null,
  surveyId: string,
  input: AnswerInput,
): Promise<SurveyRecord> {
  const me = requireRole(caller, ...CAN_CALL);
  return changeOne(deps, {
    entity: SurveyRecord,
    label: 'Survey',
    id: surveyId,
    field: 'surveyId',
    apply: (survey) => recordAnswer(deps, survey, input, 'AGENT', me.userId),
  });
}

/**
 * R-SV-1: a link for the customer to answer without logging in. The token is returned once and
 * only its hash is kept; issuing a new link voids the previous one.
 */
export async function issueLink(
  deps: SurveyDeps,
  caller: Identity | null,
  surveyId: string,
): Promise<{ token: string; expiresAt: Date; survey: SurveyRecord }> {
  requireRole(caller, ...CAN_CALL);
  const token = randomBytes(24).toString('base64url');
  const survey = await changeOne(deps, {
    entity: SurveyRecord,
    label: 'Survey',
    id: surveyId,
    field: 'surveyId',
    apply: (survey) => {
      assertOpen(survey);
      survey.tokenHash = hashToken(token);
      survey.tokenExpiresAt = linkExpiry(deps.now(), deps.settings.linkTtlHours);
    },
  });
  return { token, expiresAt: survey.tokenExpiresAt!, survey };
}

const findByToken = (em: EntityManager, token: string) =>
  typeof token === 'string' && token.length >= 16 && token.length <= 100
    ? em.findOne(SurveyRecord, { tokenHash: hashToken(token) })
    : Promise.resolve(null);

/** The questions behind a link (anonymous: the token is the credential). */
export async function surveyByToken(deps: SurveyDeps, em: EntityManager, token: string) {
  return checkLinkToken(await findByToken(em, token), deps.now()) as SurveyRecord;
}

/**
 * The customer answers through the link: works once, then the link is refused. The link is
 * checked again on the locked survey: a concurrent answer or a new link may have voided it.
 */
export async function answerByToken(
  deps: SurveyDeps,
  token: string,
  input: AnswerInput,
): Promise<SurveyRecord> {
  const found = await surveyByToken(deps, deps.orm.em.fork(), token);
  return changeOne(deps, {
    entity: SurveyRecord,
    label: 'Survey',
    id: found.id,
    apply: (survey) => {
      const same = survey.tokenHash === found.tokenHash ? survey : null;
      checkLinkToken(same, deps.now());
      return recordAnswer(deps, survey, input, 'LINK', null);
    },
  });
}

export async function getSurvey(em: EntityManager, caller: Identity | null, id: string) {
  requireRole(caller, ...CAN_READ);
  const survey = await em.findOne(SurveyRecord, { id: checkUuid(id) });
  if (!survey) throw notFound('Survey', id);
  return survey;
}

/** Work-order surveys by work order id, in the order asked (null where none yet). */
export const surveysOfWorkOrders = (
  em: EntityManager,
  caller: Identity | null,
  workOrderIds: readonly string[],
): Promise<(SurveyRecord | null)[]> =>
  surveysBySubject(em, caller, 'WORK_ORDER', 'workOrderId', workOrderIds);

/** The survey of one work order; NOT_FOUND until the order is completed. */
export async function surveyOfWorkOrder(
  em: EntityManager,
  caller: Identity | null,
  workOrderId: string,
): Promise<SurveyRecord> {
  const id = checkUuid(workOrderId, 'workOrderId');
  const [survey] = await surveysOfWorkOrders(em, caller, [id]);
  if (!survey) throw notFound('Survey of work order', id);
  return survey;
}

/** R-SV-5: the complaint-handling survey of each complaint (null until it is closed), in the order asked. */
export const surveysOfComplaints = (
  em: EntityManager,
  caller: Identity | null,
  complaintIds: readonly string[],
): Promise<(SurveyRecord | null)[]> =>
  surveysBySubject(em, caller, 'COMPLAINT_HANDLING', 'complaintId', complaintIds);

/** The one survey of each subject (a survey per work order / per complaint), in the order asked. */
async function surveysBySubject(
  em: EntityManager,
  caller: Identity | null,
  kind: SurveyKind,
  key: 'workOrderId' | 'complaintId',
  ids: readonly string[],
): Promise<(SurveyRecord | null)[]> {
  requireRole(caller, ...CAN_READ);
  const found = await em.find(SurveyRecord, { kind, [key]: { $in: [...ids] } });
  return groupByKeys(ids, found, (s) => s[key]).map(([survey]) => survey ?? null);
}

/** Customers' surveys, newest first: a keyset page per customer, one query for the whole batch. */
export async function surveysOfCustomers(
  em: EntityManager,
  caller: Identity | null,
  requests: readonly ParentPageRequest[],
): Promise<Page<SurveyRecord>[]> {
  requireRole(caller, ...CAN_READ);
  return keysetPagesByParent(em, SurveyRecord, 'customerId', requests);
}

export async function listTemplates(em: EntityManager, caller: Identity | null) {
  requireRole(caller, ...CAN_READ, ...CAN_MANAGE_TEMPLATES);
  return em.find(TemplateRecord, {}, { orderBy: { code: 'asc' } });
}

/** R-SV-1: templates are data a manager maintains; surveys keep the version they were made with. */
export async function upsertTemplate(
  deps: SurveyDeps,
  caller: Identity | null,
  input: TemplateInput,
): Promise<TemplateRecord> {
  requireRole(caller, ...CAN_MANAGE_TEMPLATES);
  const t = parseTemplate(input);
  return deps.orm.em.fork().transactional(async (em) => {
    const record = (await em.findOne(TemplateRecord, { code: t.code })) ?? new TemplateRecord();
    Object.assign(record, t, { updatedAt: deps.now() });
    em.persist(record);
    return record;
  });
}
