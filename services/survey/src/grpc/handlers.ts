import { enumCodec, type MethodRoles, type ServiceHandlers, withRoles } from '@aftercare/kit';
import { surveyV1 as pb } from '@aftercare/proto';
import { CAN_CALL, CAN_READ, CAN_READ_SCORES } from '../app/access';
import type { SurveyDeps } from '../app/deps';
import { recordFollowUpCall } from '../app/follow-ups';
import { followUpRateOf, satisfactionRate, technicianRatings } from '../app/scores';
import { answerByAgent, getSurvey, surveyOfWorkOrder } from '../app/surveys';
import type { FollowUpRecord, SurveyRecord } from '../db/entities';
import type { CallOutcome, Level } from '../domain';

const levels = enumCodec<Level>(pb.SatisfactionLevel, 'SATISFACTION_LEVEL_');
const outcomes = enumCodec<CallOutcome>(pb.CallOutcome, 'CALL_OUTCOME_');
const statuses = enumCodec<'OPEN' | 'ANSWERED'>(pb.SurveyStatus, 'SURVEY_STATUS_');

const toSurvey = (s: SurveyRecord): pb.Survey => ({
  id: s.id,
  kind: s.kind,
  templateCode: s.template.code,
  workOrderId: s.workOrderId ?? '',
  complaintId: s.complaintId ?? '',
  customerId: s.customerId ?? '',
  technicianIds: s.technicianIds,
  status: statuses.encode(s.status),
  answers: (s.answers?.items ?? []).map((a) => ({ item: a.item, level: levels.encode(a.level) })),
  suggestions: s.answers?.suggestions ?? '',
  answeredAt: s.answeredAt ?? undefined,
  createdAt: s.createdAt,
});

const toFollowUp = (f: FollowUpRecord): pb.FollowUp => ({
  id: f.id,
  workOrderId: f.workOrderId,
  customerId: f.customerId,
  sequence: f.sequence,
  topics: f.topics,
  windowStart: f.windowStart,
  windowEnd: f.windowEnd,
  status: f.status,
});

/** Who may call each method: checked before the request is decoded (the use cases check again). */
export const SURVEY_GRPC_ROLES: MethodRoles<typeof pb.SurveyServiceService> = {
  getSurvey: CAN_READ,
  getWorkOrderSurvey: CAN_READ,
  answerSurvey: CAN_CALL,
  recordFollowUpCall: CAN_CALL,
  getSatisfactionRate: CAN_READ_SCORES,
  // A technician reads their own rating only (the use case checks whose).
  getTechnicianRating: [...CAN_READ_SCORES, 'technician'],
  getFollowUpRate: CAN_READ_SCORES,
};

/** gRPC adapter. */
export function surveyHandlers(deps: SurveyDeps): ServiceHandlers<typeof pb.SurveyServiceService> {
  const em = () => deps.orm.em.fork();
  return withRoles(SURVEY_GRPC_ROLES, {
    async getSurvey(req, { identity }) {
      return { survey: toSurvey(await getSurvey(em(), identity, req.id)) };
    },
    async getWorkOrderSurvey(req, { identity }) {
      return { survey: toSurvey(await surveyOfWorkOrder(em(), identity, req.workOrderId)) };
    },
    async answerSurvey(req, { identity }) {
      const survey = await answerByAgent(deps, identity, req.surveyId, {
        answers: req.answers.map((a, i) => ({
          item: a.item,
          level: levels.decode(a.level, `answers.${i}.level`) ?? null,
        })),
        suggestions: req.suggestions,
      });
      return { survey: toSurvey(survey), dissatisfied: survey.dissatisfied };
    },
    async recordFollowUpCall(req, { identity }) {
      const followUp = await recordFollowUpCall(deps, identity, req.followUpId, {
        outcome: outcomes.decode(req.outcome, 'outcome') ?? null,
        summary: req.summary,
        complaint: req.complaint,
        callbackAt: req.callbackAt ?? null,
        idempotencyKey: req.idempotencyKey,
      });
      return { followUp: toFollowUp(followUp) };
    },
    async getSatisfactionRate(req, { identity }) {
      const r = await satisfactionRate(em(), identity, req);
      return { answers: r.answers, satisfied: r.satisfied, rate: r.rate ?? 0 };
    },
    async getTechnicianRating(req, { identity }) {
      const [r] = await technicianRatings(em(), identity, [req.technicianId], req.month);
      return {
        technicianId: r!.technicianId,
        month: r!.month,
        surveys: r!.surveys,
        answers: r!.answers,
        satisfied: r!.satisfied,
        average: r!.average ?? 0,
      };
    },
    async getFollowUpRate(req, { identity }) {
      const r = await followUpRateOf(em(), identity, req);
      return { workOrders: r.workOrders, followedUp: r.followedUp, rate: r.rate ?? 0 };
    },
  });
}
