import type { GraphQLResolverMap } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import {
  DateTimeScalar,
  type EntityManager,
  type Identity,
  nullIfNotFound,
  requestContext,
  type RequestContext,
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
  listParts,
  listWarehouses,
  requisitionsOf,
  stockOf,
} from '../app/queries';
import { approve, issue, reject, requestRequisition, returnParts } from '../app/requisitions';
import { postStocktake } from '../app/stocktake';
import {
  countTools,
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
  ToolLoanRecord,
  ToolRecord,
  RequisitionRecord,
  StockLevelRecord,
  WarehouseRecord,
} from '../db/entities';

export type InventoryContext = RequestContext<ReturnType<typeof createLoaders>>;

function createLoaders(em: EntityManager, identity: Identity | null) {
  return {
    part: new DataLoader<string, PartRecord | null>(async (codes) => {
      const found = await listParts(em, identity, codes);
      return codes.map((c) => found.find((p) => p.code === c) ?? null);
    }),
    stock: new DataLoader<string, StockLevelRecord[]>((codes) => stockOf(em, identity, codes)),
    requisitions: new DataLoader<string, RequisitionRecord[]>((ids) =>
      requisitionsOf(em, identity, ids),
    ),
    loans: new DataLoader<string, ToolLoanRecord[]>((codes) => loansOf(em, identity, codes)),
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

export function inventoryResolvers(deps: InventoryDeps): GraphQLResolverMap<Ctx> {
  return {
    DateTime: DateTimeScalar,
    Query: {
      part: (_: unknown, { code }: { code: string }, ctx: Ctx) =>
        ctx.loaders.part.load(code.toUpperCase()),
      parts: (_: unknown, __: unknown, ctx: Ctx) => listParts(ctx.em, ctx.identity),
      warehouses: (_: unknown, __: unknown, ctx: Ctx) => listWarehouses(ctx.em, ctx.identity),
      requisition: (_: unknown, { id }: { id: string }, ctx: Ctx) =>
        getRequisition(ctx.em, ctx.identity, id).catch(nullIfNotFound),
      tools: (_: unknown, __: unknown, ctx: Ctx) => listTools(ctx.em, ctx.identity),
      missingOldParts: (_: unknown, __: unknown, ctx: Ctx) => openWriteOffs(ctx.em, ctx.identity),
      claimOrder: (_: unknown, { id }: { id: string }, ctx: Ctx) =>
        getClaim(ctx.em, ctx.identity, id).catch(nullIfNotFound),
      claimOrders: (
        _: unknown,
        filter: { status?: string | null; workOrderId?: string | null },
        ctx: Ctx,
      ) => listClaims(ctx.em, ctx.identity, filter),
      partsIssueAccuracy: (
        _: unknown,
        query: { from: Date; to: Date; warehouseCode?: string | null },
        ctx: Ctx,
      ) => accuracyOf(ctx.em, ctx.identity, query),
      toolCounts: (_: unknown, { month }: { month?: string | null }, ctx: Ctx) =>
        toolCounts(ctx.em, ctx.identity, month),
    },
    Mutation: {
      upsertPart: (_: unknown, { input }: { input: object }, ctx: Ctx) =>
        upsertPart(deps, ctx.identity, input),
      createWarehouse: (_: unknown, { input }: { input: object }, ctx: Ctx) =>
        createWarehouse(deps, ctx.identity, input),
      postStockDocument: (_: unknown, { input }: { input: object }, ctx: Ctx) =>
        postDocument(deps, ctx.identity, input),
      requestParts: (
        _: unknown,
        { input }: { input: { workOrderId: string; warehouseCode: string; lines: Lines } },
        ctx: Ctx,
      ) => requestRequisition(deps, ctx.identity, input),
      approveRequisition: (
        _: unknown,
        { input }: { input: { requisitionId: string; lines?: Lines } },
        ctx: Ctx,
      ) => approve(deps, ctx.identity, input.requisitionId, { lines: input.lines }),
      rejectRequisition: (_: unknown, a: { requisitionId: string; reason: string }, ctx: Ctx) =>
        reject(deps, ctx.identity, a.requisitionId, a.reason),
      issueParts: (
        _: unknown,
        { input }: { input: { requisitionId: string; lines: Lines } },
        ctx: Ctx,
      ) => issue(deps, ctx.identity, input.requisitionId, input.lines),
      returnUnusedParts: (
        _: unknown,
        { input }: { input: { requisitionId: string; lines: Lines } },
        ctx: Ctx,
      ) => returnParts(deps, ctx.identity, input.requisitionId, input.lines),
      receiveOldPart: (
        _: unknown,
        { input }: { input: { workOrderId: string; name: string } },
        ctx: Ctx,
      ) => receiveOldPartFor(deps, ctx.identity, input),
      upsertTool: (_: unknown, { input }: { input: object }, ctx: Ctx) =>
        upsertTool(deps, ctx.identity, input),
      lendTool: (
        _: unknown,
        { input }: { input: { toolCode: string; borrowerId: string } },
        ctx: Ctx,
      ) => lend(deps, ctx.identity, input.toolCode, input),
      returnTool: (
        _: unknown,
        { input }: { input: { loanId: string; returnedBy: string } },
        ctx: Ctx,
      ) => giveBack(deps, ctx.identity, input.loanId, input),
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
      ) => postStocktake(deps, ctx.identity, input),
      openClaimOrder: (_: unknown, { input }: { input: { customerId: string } }, ctx: Ctx) =>
        openClaim(deps, ctx.identity, input),
      payClaimDeposit: (
        _: unknown,
        a: { claimOrderId: string; amountFen: number; idempotencyKey?: string | null },
        ctx: Ctx,
      ) => payClaimDeposit(deps, ctx.identity, a.claimOrderId, a.amountFen, a.idempotencyKey),
      placeClaimOrder: (_: unknown, a: { claimOrderId: string }, ctx: Ctx) =>
        placeClaim(deps, ctx.identity, a.claimOrderId),
      settleClaimOrder: (_: unknown, a: { claimOrderId: string }, ctx: Ctx) =>
        settleClaim(deps, ctx.identity, a.claimOrderId),
      forfeitClaimDeposit: (_: unknown, a: { claimOrderId: string; reason: string }, ctx: Ctx) =>
        forfeitClaim(deps, ctx.identity, a.claimOrderId, a.reason),
      cancelClaimOrder: (_: unknown, a: { claimOrderId: string; reason: string }, ctx: Ctx) =>
        cancelClaim(deps, ctx.identity, a.claimOrderId, a.reason),
      recordWrongPartCorrection: (
        _: unknown,
        { input }: { input: { issueId: string; wrongPartCode: string; rightPartCode: string } },
        ctx: Ctx,
      ) => correctWrongPart(deps, ctx.identity, input.issueId, input),
      countTools: (
        _: unknown,
        { counts }: { counts: { toolCode: string; counted: number }[] },
        ctx: Ctx,
      ) => countTools(deps, ctx.identity, counts),
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
      discrepancies: (c: ToolCountRecord) => c.lines.filter((l) => l.difference !== 0),
    },
    WarrantyWriteOff: {
      workOrder: (w: { workOrderId: string }) => ({ __typename: 'WorkOrder', id: w.workOrderId }),
    },
    Tool: {
      __resolveReference: async (ref: { code: string }, ctx: Ctx) =>
        (await listTools(ctx.em, ctx.identity)).find((t) => t.code === ref.code) ?? null,
      loans: (t: ToolRecord, _: unknown, ctx: Ctx) => ctx.loaders.loans.load(t.code),
    },
    Part: {
      __resolveReference: (ref: { code: string }, ctx: Ctx) => ctx.loaders.part.load(ref.code),
    },
    Warehouse: {
      __resolveReference: async (ref: { code: string }, ctx: Ctx) =>
        (await listWarehouses(ctx.em, ctx.identity)).find((w) => w.code === ref.code) ?? null,
      stock: (w: WarehouseRecord, _: unknown, ctx: Ctx) => ctx.loaders.stock.load(w.code),
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
