import type { GraphQLResolverMap } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import {
  DateScalar,
  DateTimeScalar,
  type EntityManager,
  type Identity,
  nullIfNotFound,
  type Page,
  type PageRequest,
  type ParentPageRequest,
  pageRequestKey,
  requestContext,
  type RequestContext,
  toConnection,
} from '@aftercare/kit';
import type { SurveyDeps } from '../app/deps';
import {
  callList,
  callsOfFollowUps,
  followUpsOfWorkOrders,
  getFollowUp,
  recordFollowUpCall,
} from '../app/follow-ups';
import {
  activitiesById,
  createActivity,
  getReminder,
  remindersOf,
  remindersOfCustomers,
} from '../app/reminders';
import { followUpRateOf, ratingsOf, satisfactionRate, technicianRatings } from '../app/scores';
import {
  answerByAgent,
  answerByToken,
  getSurvey,
  issueLink,
  listTemplates,
  surveyByToken,
  surveysOfCustomers,
  surveysOfWorkOrders,
  surveysOfComplaints,
  upsertTemplate,
} from '../app/surveys';
import type {
  FollowUpCallRecord,
  FollowUpRecord,
  ReminderRecord,
  SurveyRecord,
} from '../db/entities';
import type { AnswerInput, CallInput, SurveyKind, TemplateInput } from '../domain';
import type { KpiScopeArgs } from '@aftercare/kernel';

type Rating = Awaited<ReturnType<typeof technicianRatings>>[number];

export type SurveyContext = RequestContext<ReturnType<typeof createLoaders>>;

function createLoaders(em: EntityManager, identity: Identity | null) {
  return {
    surveyOfWorkOrder: new DataLoader<string, SurveyRecord | null>((ids) =>
      surveysOfWorkOrders(em, identity, ids),
    ),
    surveyOfComplaint: new DataLoader<string, SurveyRecord | null>((ids) =>
      surveysOfComplaints(em, identity, ids),
    ),
    surveysOfCustomer: new DataLoader<ParentPageRequest, Page<SurveyRecord>, string>(
      (requests) => surveysOfCustomers(em, identity, requests),
      { cacheKeyFn: pageRequestKey },
    ),
    followUpsOfWorkOrder: new DataLoader<string, FollowUpRecord[]>((ids) =>
      followUpsOfWorkOrders(em, identity, ids),
    ),
    calls: new DataLoader<string, FollowUpCallRecord[]>((ids) =>
      callsOfFollowUps(em, identity, ids),
    ),
    remindersOfCustomer: new DataLoader<ParentPageRequest, Page<ReminderRecord>, string>(
      (requests) => remindersOfCustomers(em, identity, requests),
      { cacheKeyFn: pageRequestKey },
    ),
    activity: new DataLoader((ids: readonly string[]) => activitiesById(em, identity, ids)),
    rating: new DataLoader<{ month: string; technicianId: string }, Rating, string>(
      (wanted) => ratingsOf(em, identity, wanted),
      { cacheKeyFn: ({ month, technicianId }) => `${month}|${technicianId}` },
    ),
  };
}

export const surveyContext = (deps: SurveyDeps) => requestContext(deps.orm, createLoaders);

type Ctx = SurveyContext;
const ref = (typename: string, id: string | null) => (id ? { __typename: typename, id } : null);

export function surveyResolvers(deps: SurveyDeps): GraphQLResolverMap<Ctx> {
  return {
    DateTime: DateTimeScalar,
    Date: DateScalar,
    Query: {
      survey: (_: unknown, { id }: { id: string }, ctx: Ctx) =>
        getSurvey(ctx.em, ctx.identity, id).catch(nullIfNotFound),
      surveyTemplates: (_: unknown, __: unknown, ctx: Ctx) => listTemplates(ctx.em, ctx.identity),
      surveyByToken: async (_: unknown, { token }: { token: string }, ctx: Ctx) => {
        const s = await surveyByToken(deps, ctx.em, token);
        return {
          kind: s.kind,
          workOrderNumber: s.workOrderNumber,
          complaintNumber: s.complaintNumber,
          items: s.template.items,
          suggestions: s.template.suggestions,
          expiresAt: s.tokenExpiresAt,
        };
      },
      followUpCallList: (
        _: unknown,
        args: { date?: string; province?: string; first?: number; after?: string },
        ctx: Ctx,
      ) => callList(deps, ctx.em, ctx.identity, args).then(toConnection),
      reminders: (
        _: unknown,
        args: { customerId?: string; kind?: string; first?: number; after?: string },
        ctx: Ctx,
      ) => remindersOf(ctx.em, ctx.identity, args, args).then(toConnection),
      satisfactionRate: (_: unknown, args: KpiScopeArgs & { kind?: SurveyKind }, ctx: Ctx) =>
        satisfactionRate(ctx.em, ctx.identity, args),
      followUpRate: (_: unknown, args: KpiScopeArgs, ctx: Ctx) =>
        followUpRateOf(ctx.em, ctx.identity, args),
      technicianRating: async (
        _: unknown,
        { technicianId, month }: { technicianId: string; month: string },
        ctx: Ctx,
      ) => (await technicianRatings(ctx.em, ctx.identity, [technicianId], month))[0],
    },
    Mutation: {
      answerSurvey: async (
        _: unknown,
        { input }: { input: AnswerInput & { surveyId: string } },
        ctx: Ctx,
      ) => ({ survey: await answerByAgent(deps, ctx.identity, input.surveyId, input) }),
      issueSurveyLink: (_: unknown, { input }: { input: { surveyId: string } }, ctx: Ctx) =>
        issueLink(deps, ctx.identity, input.surveyId),
      // Anonymous by design (gateway allow-list): the token alone authorises.
      answerSurveyByToken: async (
        _: unknown,
        { input }: { input: AnswerInput & { token: string } },
      ) => {
        const s = await answerByToken(deps, input.token, input);
        return { recorded: true, dissatisfied: s.dissatisfied };
      },
      recordFollowUpCall: async (
        _: unknown,
        { input }: { input: CallInput & { followUpId: string } },
        ctx: Ctx,
      ) => ({ followUp: await recordFollowUpCall(deps, ctx.identity, input.followUpId, input) }),
      upsertSurveyTemplate: async (_: unknown, { input }: { input: TemplateInput }, ctx: Ctx) => ({
        template: await upsertTemplate(deps, ctx.identity, input),
      }),
      createCustomerActivity: async (_: unknown, { input }: { input: object }, ctx: Ctx) => ({
        activity: await createActivity(deps, ctx.identity, input),
      }),
    },
    Survey: {
      __resolveReference: (r: { id: string }, ctx: Ctx) =>
        getSurvey(ctx.em, ctx.identity, r.id).catch(nullIfNotFound),
      workOrder: (s: SurveyRecord) => ref('WorkOrder', s.workOrderId),
      customer: (s: SurveyRecord) => ref('Customer', s.customerId),
      complaint: (s: SurveyRecord) => ref('Complaint', s.complaintId),
      technicians: (s: SurveyRecord) => s.technicianIds.map((id) => ({ __typename: 'Staff', id })),
      answers: (s: SurveyRecord) => s.answers?.items ?? [],
      suggestions: (s: SurveyRecord) => s.answers?.suggestions ?? null,
    },
    FollowUp: {
      __resolveReference: (r: { id: string }, ctx: Ctx) =>
        getFollowUp(ctx.em, ctx.identity, r.id).catch(nullIfNotFound),
      workOrder: (f: FollowUpRecord) => ref('WorkOrder', f.workOrderId),
      customer: (f: FollowUpRecord) => ref('Customer', f.customerId),
      calls: (f: FollowUpRecord, _: unknown, ctx: Ctx) => ctx.loaders.calls.load(f.id),
    },
    FollowUpCall: {
      contactLogged: () => true,
    },
    Reminder: {
      __resolveReference: (r: { id: string }, ctx: Ctx) =>
        getReminder(ctx.em, ctx.identity, r.id).catch(nullIfNotFound),
      customer: (r: ReminderRecord) => ref('Customer', r.customerId),
      asset: (r: ReminderRecord) => ref('Asset', r.assetId),
      activity: (r: ReminderRecord, _: unknown, ctx: Ctx) =>
        r.activityId ? ctx.loaders.activity.load(r.activityId) : null,
    },
    WorkOrder: {
      survey: (o: { id: string }, _: unknown, ctx: Ctx) => ctx.loaders.surveyOfWorkOrder.load(o.id),
      followUps: (o: { id: string }, _: unknown, ctx: Ctx) =>
        ctx.loaders.followUpsOfWorkOrder.load(o.id),
    },
    Complaint: {
      handlingSurvey: (c: { id: string }, _: unknown, ctx: Ctx) =>
        ctx.loaders.surveyOfComplaint.load(c.id),
    },
    Customer: {
      surveys: (c: { id: string }, page: PageRequest, ctx: Ctx) =>
        ctx.loaders.surveysOfCustomer.load({ parentId: c.id, ...page }).then(toConnection),
      reminders: (c: { id: string }, page: PageRequest, ctx: Ctx) =>
        ctx.loaders.remindersOfCustomer.load({ parentId: c.id, ...page }).then(toConnection),
    },
    Staff: {
      surveyRating: (s: { id: string }, { month }: { month: string }, ctx: Ctx) =>
        ctx.loaders.rating.load({ month, technicianId: s.id }),
    },
  } as GraphQLResolverMap<Ctx>;
}
