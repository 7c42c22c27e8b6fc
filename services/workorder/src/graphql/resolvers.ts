import type { KpiScopeArgs } from '@aftercare/kernel';
import type { GraphQLResolverMap } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import {
  DateScalar,
  DateTimeScalar,
  type EntityManager,
  type Identity,
  type Page,
  type ParentPageRequest,
  pageRequestKey,
  alignByIds,
  nullIfNotFound,
  requestContext,
  type RequestContext,
  toConnection,
} from '@aftercare/kit';
import type {
  SlaPolicyRecord,
  SlaPolicyVersionRecord,
  StaffRecord,
  WorkOrderRecord,
} from '../db/entities';
import { allowedActions, regionOf, slaStatus, totalRepairHours, type RepairCard } from '../domain';
import type { WorkOrderDeps } from '../app/deps';
import {
  batchGetWorkOrders,
  dailyReportFor,
  dispatchBoard,
  getWorkOrder,
  historyOf,
  listWorkOrders,
  workOrderPagesOf,
} from '../app/queries';
import { registerWorkOrder } from '../app/intake';
import { serviceTimeliness } from '../app/timeliness';
import * as life from '../app/lifecycle';
import { batchGetStaff, getStaff, listStaff, upsertStaff } from '../app/staff';
import * as sla from '../app/sla-policies';
import * as people from '../app/people';

export type WorkOrderContext = RequestContext<ReturnType<typeof createLoaders>>;

function createLoaders(em: EntityManager, identity: Identity | null) {
  return {
    workOrder: new DataLoader<string, WorkOrderRecord | null>(async (ids) =>
      alignByIds(ids, await batchGetWorkOrders(em, identity, ids)),
    ),
    ordersOfCustomer: new DataLoader<ParentPageRequest, Page<WorkOrderRecord>, string>(
      (requests) => workOrderPagesOf(em, identity, 'customerId', requests),
      { cacheKeyFn: pageRequestKey },
    ),
    ordersOfAsset: new DataLoader<ParentPageRequest, Page<WorkOrderRecord>, string>(
      (requests) => workOrderPagesOf(em, identity, 'assetId', requests),
      { cacheKeyFn: pageRequestKey },
    ),
    staff: new DataLoader<string, StaffRecord | null>(async (ids) =>
      alignByIds(ids, await batchGetStaff(em, identity, ids)),
    ),
    slaPolicyVersion: new DataLoader<
      { id: string; version: number },
      SlaPolicyVersionRecord | null,
      string
    >((keys) => sla.slaPolicyVersions(em, identity, keys), {
      cacheKeyFn: (k) => `${k.version}@${k.id}`,
    }),
    slaPolicyHistory: new DataLoader<string, SlaPolicyVersionRecord[]>((ids) =>
      sla.slaPolicyHistories(em, identity, ids),
    ),
  };
}

export const workOrderContext = (deps: WorkOrderDeps) => requestContext(deps.orm, createLoaders);

type Ctx = WorkOrderContext;
type Id = { workOrderId: string };
type PageArgs = { first?: number; after?: string };
const payload = (p: Promise<WorkOrderRecord>) => p.then((workOrder) => ({ workOrder }));

export function workOrderResolvers(deps: WorkOrderDeps): GraphQLResolverMap<Ctx> {
  return {
    DateTime: DateTimeScalar,
    Date: DateScalar,
    Query: {
      workOrder: (_: unknown, { id }: { id: string }, ctx: Ctx) =>
        getWorkOrder(ctx.em, ctx.identity, id).catch(nullIfNotFound),
      workOrders: (_: unknown, a: { filter?: object } & PageArgs, ctx: Ctx) =>
        listWorkOrders(ctx.em, ctx.identity, { ...a.filter, first: a.first, after: a.after }).then(
          toConnection,
        ),
      dispatchBoard: async (_: unknown, a: { filter?: object; first?: number }, ctx: Ctx) =>
        (await dispatchBoard(deps, ctx.em, ctx.identity, { ...a.filter, first: a.first })).map(
          (row) => ({
            workOrder: row.order,
            carriedOver: row.carriedOver,
            overdue: row.overdue,
            dueAt: row.order.dueAt,
          }),
        ),
      dailyReport: (_: unknown, { date }: { date: string }, ctx: Ctx) =>
        dailyReportFor(deps, ctx.em, ctx.identity, date),
      serviceTimeliness: (_: unknown, args: KpiScopeArgs, ctx: Ctx) =>
        serviceTimeliness(deps, ctx.em, ctx.identity, args),
      staff: (_: unknown, { id }: { id: string }, ctx: Ctx) =>
        getStaff(ctx.em, ctx.identity, id).catch(nullIfNotFound),
      staffList: (
        _: unknown,
        f: { team?: string; stationCode?: string; skill?: string; activeOnly?: boolean } & PageArgs,
        ctx: Ctx,
      ) => listStaff(ctx.em, ctx.identity, f).then(toConnection),
      technicianAvailability: (
        _: unknown,
        f: { at?: Date; stationCode?: string; skill?: string },
        ctx: Ctx,
      ) => people.technicianAvailability(deps, ctx.em, ctx.identity, f),
      recommendTechnicians: (
        _: unknown,
        f: { workOrderId: string; appointedAt?: Date; first?: number },
        ctx: Ctx,
      ) => people.recommendFor(deps, ctx.em, ctx.identity, f),
      expiringCertificates: (_: unknown, f: { withinDays?: number }, ctx: Ctx) =>
        people.certificatesExpiring(deps, ctx.em, ctx.identity, f),
      slaPolicies: (_: unknown, f: { includeRetired?: boolean }, ctx: Ctx) =>
        sla.listSlaPolicies(ctx.em, ctx.identity, f),
      slaPolicy: (_: unknown, { id }: { id: string }, ctx: Ctx) =>
        sla.getSlaPolicy(ctx.em, ctx.identity, id).catch(nullIfNotFound),
    },
    Mutation: {
      registerWorkOrder: (_: unknown, { input }: { input: object }, ctx: Ctx) =>
        payload(registerWorkOrder(deps, ctx.identity, input)),
      dispatchWorkOrder: async (
        _: unknown,
        { input }: { input: Id & { technicianIds: string[]; leadTechnicianId?: string } },
        ctx: Ctx,
      ) => {
        const r = await life.dispatchWorkOrder(deps, ctx.identity, input.workOrderId, input);
        return { workOrder: r.order, warnings: r.warnings };
      },
      reassignWorkOrder: async (
        _: unknown,
        { input }: { input: Id & { technicianIds: string[]; reason: string } },
        ctx: Ctx,
      ) => {
        const r = await life.reassignWorkOrder(deps, ctx.identity, input.workOrderId, input);
        return { workOrder: r.order, warnings: r.warnings };
      },
      changeWorkOrderStation: (
        _: unknown,
        { input }: { input: Id & { stationCode: string; reason: string } },
        ctx: Ctx,
      ) => payload(life.changeWorkOrderStation(deps, ctx.identity, input.workOrderId, input)),
      recordAnswer: (_: unknown, { input }: { input: Id & { note?: string } }, ctx: Ctx) =>
        payload(life.recordAnswer(deps, ctx.identity, input.workOrderId, input.note)),
      departForSite: (_: unknown, { input }: { input: Id }, ctx: Ctx) =>
        payload(life.departForSite(deps, ctx.identity, input.workOrderId)),
      arriveOnSite: (_: unknown, { input }: { input: Id }, ctx: Ctx) =>
        payload(life.arriveOnSite(deps, ctx.identity, input.workOrderId)),
      resolveOnSite: (_: unknown, { input }: { input: Id & { report: object } }, ctx: Ctx) =>
        payload(life.resolveOnSite(deps, ctx.identity, input.workOrderId, input.report)),
      takeBack: (_: unknown, { input }: { input: Id & { items: object[] } }, ctx: Ctx) =>
        payload(life.takeBack(deps, ctx.identity, input.workOrderId, input.items)),
      receiveInWorkshop: (_: unknown, { input }: { input: Id }, ctx: Ctx) =>
        payload(life.receiveInWorkshop(deps, ctx.identity, input.workOrderId)),
      recordRepairWork: (
        _: unknown,
        { input }: { input: Id & { hours?: object; part?: object } },
        ctx: Ctx,
      ) => payload(life.recordRepairWork(deps, ctx.identity, input.workOrderId, input)),
      finishRepair: (_: unknown, { input }: { input: Id & { report: object } }, ctx: Ctx) =>
        payload(life.finishRepair(deps, ctx.identity, input.workOrderId, input.report)),
      returnToCustomer: (_: unknown, { input }: { input: Id }, ctx: Ctx) =>
        payload(life.returnToCustomer(deps, ctx.identity, input.workOrderId)),
      signWorkOrder: (_: unknown, { input }: { input: Id & { signerName: string } }, ctx: Ctx) =>
        payload(life.signWorkOrder(deps, ctx.identity, input.workOrderId, input)),
      closeWorkOrder: (_: unknown, { input }: { input: Id }, ctx: Ctx) =>
        payload(life.closeWorkOrder(deps, ctx.identity, input.workOrderId)),
      cancelWorkOrder: (_: unknown, { input }: { input: Id & { reason: string } }, ctx: Ctx) =>
        payload(life.cancelWorkOrder(deps, ctx.identity, input.workOrderId, input.reason)),
      setCharges: (_: unknown, { input }: { input: Id & { labourFen?: number } }, ctx: Ctx) =>
        payload(life.setCharges(deps, ctx.identity, input.workOrderId, input)),
      approveDiscount: (_: unknown, { input }: { input: Id }, ctx: Ctx) =>
        payload(life.approveDiscount(deps, ctx.identity, input.workOrderId)),
      upsertStaff: async (
        _: unknown,
        { input }: { input: { id: string; name: string } },
        ctx: Ctx,
      ) => ({
        staff: await upsertStaff(deps, ctx.identity, input),
      }),
      setStaffQualifications: async (
        _: unknown,
        { input }: { input: { staffId: string } },
        ctx: Ctx,
      ) => ({ staff: await people.setQualifications(deps, ctx.identity, input) }),
      setStaffShifts: async (_: unknown, { input }: { input: { staffId: string } }, ctx: Ctx) => ({
        staff: await people.setShifts(deps, ctx.identity, input),
      }),
      recordStaffLeave: async (
        _: unknown,
        { input }: { input: { staffId: string } },
        ctx: Ctx,
      ) => ({
        leave: await people.recordLeave(deps, ctx.identity, input),
      }),
      cancelStaffLeave: async (
        _: unknown,
        { input }: { input: { leaveId: string } },
        ctx: Ctx,
      ) => ({
        leave: await people.cancelLeave(deps, ctx.identity, input),
      }),
      createSlaPolicy: async (_: unknown, { input }: { input: { id: string } }, ctx: Ctx) => ({
        slaPolicy: await sla.createSlaPolicy(deps, ctx.identity, input),
      }),
      changeSlaPolicy: async (_: unknown, { input }: { input: { id: string } }, ctx: Ctx) => ({
        slaPolicy: await sla.changeSlaPolicy(deps, ctx.identity, input),
      }),
      retireSlaPolicy: async (_: unknown, { input }: { input: { id: string } }, ctx: Ctx) => ({
        slaPolicy: await sla.retireSlaPolicy(deps, ctx.identity, input),
      }),
    },
    WorkOrder: {
      __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.workOrder.load(ref.id),
      customer: (o: WorkOrderRecord) =>
        o.customerId ? { __typename: 'Customer', id: o.customerId } : null,
      asset: (o: WorkOrderRecord) => (o.assetId ? { __typename: 'Asset', id: o.assetId } : null),
      region: (o: WorkOrderRecord) => regionOf(o),
      allowedActions: (o: WorkOrderRecord) => allowedActions(o.status, { channel: o.channel }),
      sla: (o: WorkOrderRecord) => slaStatus(o, deps.now()),
      technicians: async (o: WorkOrderRecord, _: unknown, ctx: Ctx) =>
        (await ctx.loaders.staff.loadMany(o.technicianIds)).filter(
          (s): s is StaffRecord => Boolean(s) && !(s instanceof Error),
        ),
      leadTechnician: (o: WorkOrderRecord, _: unknown, ctx: Ctx) =>
        o.leadTechnicianId ? ctx.loaders.staff.load(o.leadTechnicianId) : null,
      repeatOf: (o: WorkOrderRecord, _: unknown, ctx: Ctx) =>
        o.repeatOfId ? ctx.loaders.workOrder.load(o.repeatOfId) : null,
      history: (o: WorkOrderRecord, _: unknown, ctx: Ctx) => historyOf(ctx.em, o.id),
      slaPolicy: (o: WorkOrderRecord, _: unknown, ctx: Ctx) =>
        o.slaPolicyId && o.slaPolicyVersion
          ? ctx.loaders.slaPolicyVersion.load({ id: o.slaPolicyId, version: o.slaPolicyVersion })
          : null,
    },
    SlaPolicy: {
      current: (p: SlaPolicyRecord, _: unknown, ctx: Ctx) =>
        ctx.loaders.slaPolicyVersion.load({ id: p.id, version: p.version }),
      history: (p: SlaPolicyRecord, _: unknown, ctx: Ctx) =>
        ctx.loaders.slaPolicyHistory.load(p.id),
    },
    SlaPolicyVersion: {
      policyId: (v: SlaPolicyVersionRecord) => v.id,
    },
    RepairCard: {
      totalHours: (card: RepairCard) => totalRepairHours(card),
    },
    Staff: {
      __resolveReference: (ref: { id: string }, ctx: Ctx) => ctx.loaders.staff.load(ref.id),
      region: (s: StaffRecord) => regionOf(s),
      teamLead: (s: StaffRecord, _: unknown, ctx: Ctx) =>
        s.teamLeadId ? ctx.loaders.staff.load(s.teamLeadId) : null,
      leave: (s: StaffRecord, a: { from: Date; to: Date }, ctx: Ctx) =>
        people.leaveOf(ctx.em, ctx.identity, s.id, a.from, a.to),
      availability: (s: StaffRecord, a: { at?: Date }, ctx: Ctx) =>
        people.availabilityOf(
          deps,
          ctx.em,
          ctx.identity,
          s,
          a.at ?? deps.calendar.nextWorkingMoment(deps.now()),
        ),
    },
    TechnicianAvailability: {
      technician: (row: { staff: StaffRecord }) => row.staff,
    },
    TechnicianRecommendation: {
      technician: (row: { staff: StaffRecord }) => row.staff,
    },
    ExpiringCertificate: {
      technician: (row: { staff: StaffRecord }) => row.staff,
    },
    TechnicianDailyRow: {
      technician: (row: { technicianId: string }, _: unknown, ctx: Ctx) =>
        ctx.loaders.staff.load(row.technicianId),
    },
    Customer: {
      workOrders: (c: { id: string }, page: PageArgs, ctx: Ctx) =>
        ctx.loaders.ordersOfCustomer.load({ parentId: c.id, ...page }).then(toConnection),
    },
    Asset: {
      workOrders: (a: { id: string }, page: PageArgs, ctx: Ctx) =>
        ctx.loaders.ordersOfAsset.load({ parentId: a.id, ...page }).then(toConnection),
    },
  } as GraphQLResolverMap<Ctx>;
}
