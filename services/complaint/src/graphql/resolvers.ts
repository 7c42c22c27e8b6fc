import type { KpiScopeArgs } from '@aftercare/kernel';
import type { GraphQLResolverMap } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import {
  alignByIds,
  DateScalar,
  DateTimeScalar,
  type EntityManager,
  type Identity,
  nullIfNotFound,
  pageFromRows,
  pageSize,
  requestContext,
  toConnection,
  type RequestContext,
} from '@aftercare/kit';
import {
  addComplaintImprovement,
  completeComplaintImprovement,
  moveComplaint,
  registerComplaint,
} from '../app/complaints';
import { overdueNoticesOf } from '../app/deadline-scan';
import { complaintKpis } from '../app/kpis';
import type { ComplaintDeps } from '../app/deps';
import { getPolicy, loadPolicy, updatePolicy } from '../app/policy';
import {
  batchGetPenalties,
  decidePenalty,
  getPenalty,
  listPenalties,
  listPenaltyRules,
  markPenaltyCorrected,
  payrollExport,
  penaltiesByReference,
  penaltiesOfStaff,
  penaltyActionsFor,
  penaltyRulesByCode,
  proposePenalty,
  upsertPenaltyRule,
} from '../app/penalties';
import {
  batchGetComplaints,
  complaintActionsFor,
  complaintReport,
  complaintsBy,
  deadlinesOf,
  getComplaint,
  historyOf,
  listComplaints,
} from '../app/queries';
import type {
  ComplaintHistoryRecord,
  ComplaintPolicyRecord,
  ComplaintRecord,
  PenaltyRecord,
  PenaltyRuleRecord,
} from '../db/entities';
import {
  type ComplaintAction,
  type ComplaintInput,
  type ComplaintPolicyInput,
  type ImprovementActionInput,
  type InvestigationInput,
  type PenaltyAction,
  type PenaltyRuleInput,
  isFullyClosed,
} from '../domain';

function createLoaders(deps: ComplaintDeps, em: EntityManager, identity: Identity | null) {
  return {
    complaint: new DataLoader<string, ComplaintRecord | null>(async (ids) =>
      alignByIds(ids, await batchGetComplaints(em, identity, ids)),
    ),
    byCustomer: new DataLoader<string, ComplaintRecord[]>((ids) =>
      complaintsBy(em, identity, 'customerId', ids),
    ),
    byWorkOrder: new DataLoader<string, ComplaintRecord[]>((ids) =>
      complaintsBy(em, identity, 'workOrderId', ids),
    ),
    history: new DataLoader<string, ComplaintHistoryRecord[]>((ids) => historyOf(em, ids)),
    notices: new DataLoader<string, string[]>((ids) => overdueNoticesOf(deps, ids)),
    /** The one policy row, read once per request. */
    policy: new DataLoader<number, ComplaintPolicyRecord>(async (keys) => {
      const policy = await loadPolicy(em);
      return keys.map(() => policy);
    }),
    rules: new DataLoader<string, PenaltyRuleRecord | null>((codes) =>
      penaltyRulesByCode(em, identity, codes),
    ),
    /** Ledger lines by reference (a complaint's findings), only those the caller may see. */
    penaltiesByReference: new DataLoader<string, PenaltyRecord[]>((refs) =>
      penaltiesByReference(em, identity, refs),
    ),
    penalty: new DataLoader<string, PenaltyRecord | null>((ids) =>
      batchGetPenalties(em, identity, ids),
    ),
  };
}

export type ComplaintContext = RequestContext<ReturnType<typeof createLoaders>>;
type Ctx = ComplaintContext;

export const complaintContext = (deps: ComplaintDeps) =>
  requestContext(deps.orm, (em, identity) => createLoaders(deps, em, identity));

const staffRef = (id: string) => ({ __typename: 'Staff', id });
/** A mutation's input: the complaint or ledger line it acts on, and what else it takes. */
type In<T = object> = { input: T & { complaintId: string } };
type PenaltyIn<T = object> = { input: T & { penaltyId: string } };
type PageArgs = { first?: number | null; after?: string | null };
/** The payload of a mutation that changed a complaint (ADR 0017). */
const changed = async (complaint: Promise<ComplaintRecord>) => ({ complaint: await complaint });
/**
 * The first page of a customer's or work order's complaints from one batched query for the whole
 * list (a customer has a handful); later pages are keyset queries of their own.
 */
const firstPage = async (all: Promise<ComplaintRecord[]>, page: PageArgs) => {
  const complaints = await all;
  return toConnection(
    pageFromRows(complaints, pageSize(page.first), complaints.length, (c) => c.id),
  );
};

export function complaintResolvers(deps: ComplaintDeps): GraphQLResolverMap<Ctx> {
  const move = (input: { complaintId: string }, action: ComplaintAction, ctx: Ctx) =>
    changed(moveComplaint(deps, ctx.identity, input.complaintId, action));
  const decide = async (input: { penaltyId: string }, action: PenaltyAction, ctx: Ctx) => ({
    penalty: await decidePenalty(deps, ctx.identity, input.penaltyId, action),
  });
  return {
    DateTime: DateTimeScalar,
    Date: DateScalar,
    Query: {
      complaint: (_: unknown, { id }: { id: string }, ctx: Ctx) =>
        getComplaint(ctx.em, ctx.identity, id).catch(nullIfNotFound),
      complaints: async (_: unknown, args: Record<string, unknown>, ctx: Ctx) =>
        toConnection(await listComplaints(ctx.em, ctx.identity, args)),
      complaintReport: async (_: unknown, { month }: { month: string }, ctx: Ctx) => {
        const r = await complaintReport(deps, ctx.em, ctx.identity, month);
        return {
          ...r,
          overdueByKind: {
            solution: r.overdueByKind.SOLUTION,
            closure: r.overdueByKind.CLOSURE,
            escalation: r.overdueByKind.ESCALATION,
          },
        };
      },
      complaintKpis: (_: unknown, args: KpiScopeArgs, ctx: Ctx) =>
        complaintKpis(deps, ctx.em, ctx.identity, args),
      penalty: (_: unknown, { id }: { id: string }, ctx: Ctx) =>
        getPenalty(ctx.em, ctx.identity, id).catch(nullIfNotFound),
      penalties: (
        _: unknown,
        args: { staffId?: string; month?: string; status?: string; first?: number; after?: string },
        ctx: Ctx,
      ) => listPenalties(deps, ctx.em, ctx.identity, args).then(toConnection),
      penaltyRules: (_: unknown, __: unknown, ctx: Ctx) => listPenaltyRules(ctx.em, ctx.identity),
      complaintPolicy: (_: unknown, __: unknown, ctx: Ctx) => getPolicy(ctx.em, ctx.identity),
      penaltyPayroll: (_: unknown, { month }: { month: string }, ctx: Ctx) =>
        payrollExport(deps, ctx.em, ctx.identity, month),
    },
    Mutation: {
      registerComplaint: (_: unknown, { input }: { input: ComplaintInput }, ctx: Ctx) =>
        changed(registerComplaint(deps, ctx.identity, input)),
      classifyComplaint: (
        _: unknown,
        { input: a }: In<{ category?: string; highImpact?: boolean }>,
        ctx: Ctx,
      ) => move(a, { type: 'classify', category: a.category, highImpact: a.highImpact }, ctx),
      invalidateComplaint: (_: unknown, { input: a }: In<{ reason: string }>, ctx: Ctx) =>
        move(a, { type: 'invalidate', reason: a.reason }, ctx),
      assignComplaint: (_: unknown, { input: a }: In<{ handlerId: string }>, ctx: Ctx) =>
        move(a, { type: 'assign', handlerId: a.handlerId }, ctx),
      submitComplaintInvestigation: (
        _: unknown,
        { input: a }: In<{ report: InvestigationInput }>,
        ctx: Ctx,
      ) => move(a, { type: 'investigate', report: a.report }, ctx),
      proposeComplaintSolution: (
        _: unknown,
        { input: a }: In<{ solution: string; compensationFen?: number }>,
        ctx: Ctx,
      ) =>
        move(
          a,
          { type: 'proposeSolution', solution: a.solution, compensationFen: a.compensationFen },
          ctx,
        ),
      approveComplaintSolution: (_: unknown, { input: a }: In, ctx: Ctx) =>
        move(a, { type: 'approveSolution' }, ctx),
      rejectComplaintSolution: (_: unknown, { input: a }: In<{ reason: string }>, ctx: Ctx) =>
        move(a, { type: 'rejectSolution', reason: a.reason }, ctx),
      notifyComplaintCustomer: (_: unknown, { input: a }: In, ctx: Ctx) =>
        move(a, { type: 'notifyCustomer' }, ctx),
      closeComplaint: (
        _: unknown,
        { input: a }: In<{ satisfaction: string; improvementActions?: ImprovementActionInput[] }>,
        ctx: Ctx,
      ) =>
        move(
          a,
          { type: 'close', satisfaction: a.satisfaction, improvementActions: a.improvementActions },
          ctx,
        ),
      addComplaintImprovementAction: (
        _: unknown,
        { input: a }: In<{ action: ImprovementActionInput }>,
        ctx: Ctx,
      ) => changed(addComplaintImprovement(deps, ctx.identity, a.complaintId, a.action)),
      completeComplaintImprovementAction: (
        _: unknown,
        { input: a }: In<{ actionId: string }>,
        ctx: Ctx,
      ) => changed(completeComplaintImprovement(deps, ctx.identity, a.complaintId, a.actionId)),
      updateComplaintPolicy: async (
        _: unknown,
        { input }: { input: ComplaintPolicyInput },
        ctx: Ctx,
      ) => ({
        policy: await updatePolicy(deps, ctx.identity, input),
      }),
      upsertPenaltyRule: async (_: unknown, { input }: { input: PenaltyRuleInput }, ctx: Ctx) => ({
        rule: await upsertPenaltyRule(deps, ctx.identity, input),
      }),
      proposePenalty: async (_: unknown, { input }: { input: object }, ctx: Ctx) => ({
        penalty: await proposePenalty(deps, ctx.identity, input),
      }),
      confirmPenalty: (_: unknown, { input: a }: PenaltyIn, ctx: Ctx) =>
        decide(a, { type: 'confirm' }, ctx),
      appealPenalty: (_: unknown, { input: a }: PenaltyIn<{ reason: string }>, ctx: Ctx) =>
        decide(a, { type: 'appeal', reason: a.reason }, ctx),
      upholdPenalty: (_: unknown, { input: a }: PenaltyIn<{ reason?: string }>, ctx: Ctx) =>
        decide(a, { type: 'uphold', reason: a.reason }, ctx),
      voidPenalty: (_: unknown, { input: a }: PenaltyIn<{ reason: string }>, ctx: Ctx) =>
        decide(a, { type: 'void', reason: a.reason }, ctx),
      markPenaltyCorrected: async (_: unknown, { input: a }: PenaltyIn, ctx: Ctx) => ({
        penalty: await markPenaltyCorrected(deps, ctx.identity, a.penaltyId),
      }),
    },
    Complaint: {
      __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.complaint.load(ref.id),
      allowedActions: async (c: ComplaintRecord, _: unknown, ctx: Ctx) =>
        complaintActionsFor(ctx.identity, c, await ctx.loaders.policy.load(1)),
      customer: (c: ComplaintRecord) => ({ __typename: 'Customer', id: c.customerId }),
      workOrder: (c: ComplaintRecord) =>
        c.workOrderId ? { __typename: 'WorkOrder', id: c.workOrderId } : null,
      aboutStaff: (c: ComplaintRecord) => c.aboutStaffIds.map(staffRef),
      handler: (c: ComplaintRecord) => (c.handlerId ? staffRef(c.handlerId) : null),
      major: (c: ComplaintRecord) => c.majorReasons.length > 0,
      repeatOf: (c: ComplaintRecord, _: unknown, ctx: Ctx) =>
        c.repeatOfId ? ctx.loaders.complaint.load(c.repeatOfId) : null,
      fullyClosed: (c: ComplaintRecord) => isFullyClosed(c),
      deadlines: async (c: ComplaintRecord, _: unknown, ctx: Ctx) => ({
        ...deadlinesOf(deps, c),
        noticesSent: await ctx.loaders.notices.load(c.id),
      }),
      penalties: (c: ComplaintRecord, _: unknown, ctx: Ctx) =>
        ctx.loaders.penaltiesByReference.load(c.id),
      history: (c: ComplaintRecord, _: unknown, ctx: Ctx) => ctx.loaders.history.load(c.id),
    },
    ComplaintInvestigation: {
      responsibleStaff: (r: { responsibleStaffIds: string[] }) =>
        r.responsibleStaffIds.map(staffRef),
    },
    ComplaintImprovementAction: {
      owner: (a: { ownerId: string }) => staffRef(a.ownerId),
    },
    ComplaintHistoryEntry: {
      details: (h: ComplaintHistoryRecord) => (h.details ? JSON.stringify(h.details) : null),
    },
    Penalty: {
      __resolveReference: (ref: { id: string }, ctx: Ctx) =>
        getPenalty(ctx.em, ctx.identity, ref.id).catch(nullIfNotFound),
      staff: (p: PenaltyRecord) => staffRef(p.staffId),
      rule: (p: PenaltyRecord, _: unknown, ctx: Ctx) => ctx.loaders.rules.load(p.ruleCode),
      allowedActions: (p: PenaltyRecord, _: unknown, ctx: Ctx) =>
        penaltyActionsFor(ctx.identity, p),
      recountOf: (p: PenaltyRecord, _: unknown, ctx: Ctx) =>
        p.recountOfId ? ctx.loaders.penalty.load(p.recountOfId) : null,
    },
    ComplaintPolicy: {
      routing: (p: ComplaintPolicyRecord) =>
        Object.entries(p.routing).map(([category, department]) => ({ category, department })),
    },
    PenaltyRule: {
      __resolveReference: (ref: { code: string }, ctx: Ctx) => ctx.loaders.rules.load(ref.code),
    },
    PenaltyPayrollRow: {
      staff: (r: { staffId: string }) => staffRef(r.staffId),
    },
    Customer: {
      complaints: async (c: { id: string }, page: PageArgs, ctx: Ctx) =>
        page.after
          ? toConnection(await listComplaints(ctx.em, ctx.identity, { customerId: c.id, ...page }))
          : firstPage(ctx.loaders.byCustomer.load(c.id), page),
    },
    WorkOrder: {
      complaints: async (o: { id: string }, page: PageArgs, ctx: Ctx) =>
        page.after
          ? toConnection(await listComplaints(ctx.em, ctx.identity, { workOrderId: o.id, ...page }))
          : firstPage(ctx.loaders.byWorkOrder.load(o.id), page),
    },
    Staff: {
      /** One keyset query per staff member: a ledger grows month by month. */
      penalties: async (s: { id: string }, args: PageArgs & { month?: string | null }, ctx: Ctx) =>
        toConnection(await penaltiesOfStaff(deps, ctx.em, ctx.identity, s.id, args)),
    },
  } as GraphQLResolverMap<Ctx>;
}
