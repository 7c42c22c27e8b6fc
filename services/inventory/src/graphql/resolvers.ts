import type { GraphQLResolverMap } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import {
  DateTimeScalar,
  type EntityManager,
  type Identity,
  nullIfNotFound,
  type PageRequest,
  pageOfList,
  requestContext,
  type RequestContext,
  toConnection,
} from '@aftercare/kit';
import { createWarehouse, upsertPart } from '../app/catalogue';
import type { InventoryDeps } from '../app/deps';
import { postDocument } from '../app/ledger';
import { openWriteOffs, receiveOldPartFor, writeOffOf } from '../app/old-parts';
import {
  cancelClaim,
  depositPaymentsOf,
  forfeitClaim,
  getClaim,
  listClaims,
  openClaim,
  payClaimDeposit,
  placeClaim,
  settleClaim,
} from '../app/claims';
import { accuracyOf, correctWrongPart } from '../app/accuracy';
import {
  documentsOfRequisitions,
  getRequisition,
  getWarehouse,
  pageParts,
  partsByCode,
  pageWarehouses,
  requisitionsOf,
  stockOf,
} from '../app/queries';
import { approve, issue, reject, requestRequisition, returnParts } from '../app/requisitions';
import { postStocktake } from '../app/stocktake';
import {
  countTools,
  getTool,
  giveBack,
  lend,
  listTools,
  loansOf,
  toolCounts,
  upsertTool,
} from '../app/tools';
import type {
  ClaimDepositPaymentRecord,
  ClaimOrderRecord,
  PartRecord,
  StockDocumentRecord,
  ToolCountRecord,
  ToolRecord,
  RequisitionRecord,
  StockLevelRecord,
  WarehouseRecord,
  WrongPartCorrectionRecord,
} from '../db/entities';
import { discrepanciesOf } from '../domain';

export type InventoryContext = RequestContext<ReturnType<typeof createLoaders>>;

function createLoaders(em: EntityManager, identity: Identity | null) {
  return {
    part: new DataLoader<string, PartRecord | null>((codes) => partsByCode(em, identity, codes)),
    requisitions: new DataLoader<string, RequisitionRecord[]>((ids) =>
      requisitionsOf(em, identity, ids),
    ),
    documents: new DataLoader<string, StockDocumentRecord[]>((ids) =>
      documentsOfRequisitions(em, identity, ids),
    ),
    depositPayments: new DataLoader<string, ClaimDepositPaymentRecord[]>((ids) =>
      depositPaymentsOf(em, identity, ids),
    ),
  };
}

export const inventoryContext = (deps: InventoryDeps) => requestContext(deps.orm, createLoaders);

type Ctx = InventoryContext;
type Lines = { partCode: string; quantity: number }[];
type ClaimIn<T = object> = { input: T & { claimOrderId: string } };
/** A mutation's payload (ADR 0017): what changed, under its name. */
const payload = async <K extends string, T>(name: K, changed: Promise<T>) =>
  ({ [name]: await changed }) as Record<K, T>;
const claimOrder = <T>(changed: Promise<T>) => payload('claimOrder', changed);
const requisition = <T>(changed: Promise<T>) => payload('requisition', changed);

export function inventoryResolvers(deps: InventoryDeps): GraphQLResolverMap<Ctx> {
  return {
    DateTime: DateTimeScalar,
    Query: {
      part: (_: unknown, { code }: { code: string }, ctx: Ctx) =>
        ctx.loaders.part.load(code.toUpperCase()),
      parts: async (_: unknown, page: PageRequest, ctx: Ctx) =>
        toConnection(await pageParts(ctx.em, ctx.identity, page)),
      warehouses: async (_: unknown, page: PageRequest, ctx: Ctx) =>
        toConnection(await pageWarehouses(ctx.em, ctx.identity, page)),
      requisition: (_: unknown, { id }: { id: string }, ctx: Ctx) =>
        getRequisition(ctx.em, ctx.identity, id).catch(nullIfNotFound),
      tools: async (_: unknown, page: PageRequest, ctx: Ctx) =>
        toConnection(await listTools(ctx.em, ctx.identity, page)),
      /** Paged in memory: whether a write-off is open is worked out from its old parts, not stored. */
      missingOldParts: async (_: unknown, page: PageRequest, ctx: Ctx) =>
        toConnection(
          pageOfList(await openWriteOffs(ctx.em, ctx.identity), page, (w) => w.workOrderId),
        ),
      claimOrder: (_: unknown, { id }: { id: string }, ctx: Ctx) =>
        getClaim(ctx.em, ctx.identity, id).catch(nullIfNotFound),
      claimOrders: async (
        _: unknown,
        filter: { status?: string | null; workOrderId?: string | null } & PageRequest,
        ctx: Ctx,
      ) => toConnection(await listClaims(ctx.em, ctx.identity, filter)),
      partsIssueAccuracy: (
        _: unknown,
        query: { from: Date; to: Date; warehouseCode?: string | null },
        ctx: Ctx,
      ) => accuracyOf(ctx.em, ctx.identity, query),
      toolCounts: async (
        _: unknown,
        { month, ...page }: { month?: string | null } & PageRequest,
        ctx: Ctx,
      ) => toConnection(await toolCounts(ctx.em, ctx.identity, month, page)),
    },
    Mutation: {
      upsertPart: (_: unknown, { input }: { input: object }, ctx: Ctx) =>
        payload('part', upsertPart(deps, ctx.identity, input)),
      createWarehouse: (_: unknown, { input }: { input: object }, ctx: Ctx) =>
        payload('warehouse', createWarehouse(deps, ctx.identity, input)),
      postStockDocument: (_: unknown, { input }: { input: object }, ctx: Ctx) =>
        payload('document', postDocument(deps, ctx.identity, input)),
      requestParts: (
        _: unknown,
        { input }: { input: { workOrderId: string; warehouseCode: string; lines: Lines } },
        ctx: Ctx,
      ) => requisition(requestRequisition(deps, ctx.identity, input)),
      approveRequisition: (
        _: unknown,
        { input }: { input: { requisitionId: string; lines?: Lines } },
        ctx: Ctx,
      ) => requisition(approve(deps, ctx.identity, input.requisitionId, { lines: input.lines })),
      rejectRequisition: (
        _: unknown,
        { input }: { input: { requisitionId: string; reason: string } },
        ctx: Ctx,
      ) => requisition(reject(deps, ctx.identity, input.requisitionId, input.reason)),
      issueParts: (
        _: unknown,
        { input }: { input: { requisitionId: string; lines: Lines } },
        ctx: Ctx,
      ) => requisition(issue(deps, ctx.identity, input.requisitionId, input.lines)),
      returnUnusedParts: (
        _: unknown,
        { input }: { input: { requisitionId: string; lines: Lines } },
        ctx: Ctx,
      ) => requisition(returnParts(deps, ctx.identity, input.requisitionId, input.lines)),
      receiveOldPart: (
        _: unknown,
        { input }: { input: { workOrderId: string; name: string } },
        ctx: Ctx,
      ) => payload('writeOff', receiveOldPartFor(deps, ctx.identity, input)),
      upsertTool: (_: unknown, { input }: { input: object }, ctx: Ctx) =>
        payload('tool', upsertTool(deps, ctx.identity, input)),
      lendTool: (
        _: unknown,
        { input }: { input: { toolCode: string; borrowerId: string } },
        ctx: Ctx,
      ) => payload('loan', lend(deps, ctx.identity, input.toolCode, input)),
      returnTool: (
        _: unknown,
        { input }: { input: { loanId: string; returnedBy: string } },
        ctx: Ctx,
      ) => payload('loan', giveBack(deps, ctx.identity, input.loanId, input)),
      postStocktake: (
        _: unknown,
        {
          input,
        }: {
          input: {
            warehouseCode: string;
            counts: { partCode: string; counted: number }[];
            reason?: string;
          };
        },
        ctx: Ctx,
      ) => payload('stocktake', postStocktake(deps, ctx.identity, input)),
      openClaimOrder: (_: unknown, { input }: { input: { customerId: string } }, ctx: Ctx) =>
        claimOrder(openClaim(deps, ctx.identity, input)),
      payClaimDeposit: (
        _: unknown,
        { input: a }: ClaimIn<{ amountFen: number; idempotencyKey?: string | null }>,
        ctx: Ctx,
      ) =>
        claimOrder(
          payClaimDeposit(deps, ctx.identity, a.claimOrderId, a.amountFen, a.idempotencyKey),
        ),
      placeClaimOrder: (_: unknown, { input: a }: ClaimIn, ctx: Ctx) =>
        claimOrder(placeClaim(deps, ctx.identity, a.claimOrderId)),
      settleClaimOrder: (_: unknown, { input: a }: ClaimIn, ctx: Ctx) =>
        claimOrder(settleClaim(deps, ctx.identity, a.claimOrderId)),
      forfeitClaimDeposit: (_: unknown, { input: a }: ClaimIn<{ reason: string }>, ctx: Ctx) =>
        claimOrder(forfeitClaim(deps, ctx.identity, a.claimOrderId, a.reason)),
      cancelClaimOrder: (_: unknown, { input: a }: ClaimIn<{ reason: string }>, ctx: Ctx) =>
        claimOrder(cancelClaim(deps, ctx.identity, a.claimOrderId, a.reason)),
      recordWrongPartCorrection: (
        _: unknown,
        { input }: { input: { issueId: string; wrongPartCode: string; rightPartCode: string } },
        ctx: Ctx,
      ) => payload('correction', correctWrongPart(deps, ctx.identity, input.issueId, input)),
      countTools: (
        _: unknown,
        { input }: { input: { counts: { toolCode: string; counted: number }[] } },
        ctx: Ctx,
      ) => payload('toolCount', countTools(deps, ctx.identity, input.counts)),
    },
    ClaimOrder: {
      workOrder: (c: ClaimOrderRecord) =>
        c.workOrderId ? { __typename: 'WorkOrder', id: c.workOrderId } : null,
      depositPayments: (c: ClaimOrderRecord, _: unknown, ctx: Ctx) =>
        ctx.loaders.depositPayments.load(c.id),
    },
    ClaimOrderLine: {
      part: (line: { partCode: string }, _: unknown, ctx: Ctx) =>
        ctx.loaders.part.load(line.partCode),
    },
    ToolCount: {
      discrepancies: (c: ToolCountRecord) => discrepanciesOf(c.lines),
    },
    PartsIssueAccuracy: {
      /** The period's corrections are loaded whole for the figures beside them: paged in memory. */
      corrections: (report: { corrections: WrongPartCorrectionRecord[] }, page: PageRequest) =>
        toConnection(pageOfList(report.corrections, page, (c) => c.id)),
    },
    WarrantyWriteOff: {
      workOrder: (w: { workOrderId: string }) => ({ __typename: 'WorkOrder', id: w.workOrderId }),
    },
    Tool: {
      __resolveReference: (ref: { code: string }, ctx: Ctx) =>
        getTool(ctx.em, ctx.identity, ref.code),
      loans: async (t: ToolRecord, page: PageRequest, ctx: Ctx) =>
        toConnection(await loansOf(ctx.em, ctx.identity, t.code, page)),
    },
    Part: {
      __resolveReference: (ref: { code: string }, ctx: Ctx) => ctx.loaders.part.load(ref.code),
    },
    Warehouse: {
      __resolveReference: (ref: { code: string }, ctx: Ctx) =>
        getWarehouse(ctx.em, ctx.identity, ref.code),
      stock: async (w: WarehouseRecord, page: PageRequest, ctx: Ctx) =>
        toConnection(await stockOf(ctx.em, ctx.identity, w.code, page)),
    },
    StockLevel: {
      part: (l: StockLevelRecord, _: unknown, ctx: Ctx) => ctx.loaders.part.load(l.partCode),
    },
    Requisition: {
      workOrder: (r: RequisitionRecord) => ({ __typename: 'WorkOrder', id: r.workOrderId }),
      documents: (r: RequisitionRecord, _: unknown, ctx: Ctx) => ctx.loaders.documents.load(r.id),
    },
    RequisitionLine: {
      part: (line: { partCode: string }, _: unknown, ctx: Ctx) =>
        ctx.loaders.part.load(line.partCode),
    },
    WorkOrder: {
      requisitions: (o: { id: string }, _: unknown, ctx: Ctx) =>
        ctx.loaders.requisitions.load(o.id),
      oldPartWriteOff: (o: { id: string }, _: unknown, ctx: Ctx) =>
        writeOffOf(ctx.em, ctx.identity, o.id).catch(nullIfNotFound),
    },
  } as GraphQLResolverMap<Ctx>;
}
