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
  requireRole,
  alignByIds,
  nullIfNotFound,
  requestContext,
  type RequestContext,
  toConnection,
} from '@aftercare/kit';
import { CAN_READ } from '../app/access';
import { documentsOf, getHandover, handoversOf, receiveHandover, recordSale } from '../app/archive';
import * as loans from '../app/archive-loans';
import { isOverdue } from '../domain/archive-loan';
import {
  type FileCompleteness,
  fileCompletenessOf,
  incompleteFiles,
} from '../app/file-completeness';
import {
  assetDetailsOf,
  assetPagesOf,
  batchGetAssets,
  getAsset,
  registerAsset,
  serviceEntitlement,
} from '../app/assets';
import * as lifecycle from '../app/asset-lifecycle';
import * as retention from '../app/retention';
import { contactLogOf, logContact } from '../app/contact-log';
import {
  batchGetCustomers,
  createCustomer,
  customerHistory,
  getCustomer,
  searchCustomers,
  updateCustomer,
} from '../app/customers';
import type { CustomerDeps } from '../app/deps';
import type {
  ArchiveDestructionRecord,
  ArchiveDocumentRecord,
  ArchiveHandoverRecord,
  ArchiveLoanRecord,
  ArchiveLoanStepRecord,
  AssetChangeRecord,
  AssetRecord,
  CustomerChangeRecord,
  CustomerRecord,
} from '../db/entities';

export type CustomerContext = RequestContext<ReturnType<typeof createLoaders>>;

/** Per request: one query per entity kind whatever the number of references (no N+1). */
function createLoaders(em: EntityManager, identity: Identity | null) {
  const caller = () => requireRole(identity, ...CAN_READ);
  return {
    customer: new DataLoader<string, CustomerRecord | null>(async (ids) =>
      alignByIds(ids, await batchGetCustomers(em, caller(), ids)),
    ),
    asset: new DataLoader<string, AssetRecord | null>(async (ids) =>
      alignByIds(ids, await batchGetAssets(em, caller(), ids)),
    ),
    assetPage: new DataLoader<ParentPageRequest, Page<AssetRecord>, string>(
      (requests) => assetPagesOf(em, identity, requests),
      { cacheKeyFn: pageRequestKey },
    ),
    documentsOfHandover: new DataLoader<string, ArchiveDocumentRecord[]>((ids) =>
      documentsOf(em, identity, ids),
    ),
    stepsOfLoan: new DataLoader<string, ArchiveLoanStepRecord[]>((ids) =>
      loans.stepsOfLoans(em, identity, ids),
    ),
  };
}

export const customerContext = (deps: CustomerDeps) => requestContext(deps.orm, createLoaders);

type Args = Record<string, never>;
type PageArgs = { first?: number; after?: string };
const me = (ctx: CustomerContext) => ctx.identity;

export function customerResolvers(deps: CustomerDeps): GraphQLResolverMap<CustomerContext> {
  return {
    DateTime: DateTimeScalar,
    Date: DateScalar,
    Query: {
      customer: (_: unknown, { id }: { id: string }, ctx: CustomerContext) =>
        getCustomer(ctx.em, me(ctx), id).catch(nullIfNotFound),
      customers: (
        _: unknown,
        args: { filter?: object; first?: number; after?: string },
        ctx: CustomerContext,
      ) =>
        searchCustomers(ctx.em, me(ctx), {
          ...args.filter,
          first: args.first,
          after: args.after,
        }).then(toConnection),
      asset: (_: unknown, { id }: { id: string }, ctx: CustomerContext) =>
        getAsset(ctx.em, me(ctx), id).catch(nullIfNotFound),
      serviceEntitlement: (
        _: unknown,
        { assetId, at }: { assetId: string; at?: Date },
        ctx: CustomerContext,
      ) => serviceEntitlement(deps, ctx.em, me(ctx), assetId, at),
      archiveHandover: (_: unknown, { id }: { id: string }, ctx: CustomerContext) =>
        getHandover(ctx.em, me(ctx), id).catch(nullIfNotFound),
      incompleteCustomerFiles: (
        _: unknown,
        args: PageArgs & { lateOnly?: boolean },
        ctx: CustomerContext,
      ) => incompleteFiles(deps, ctx.em, me(ctx), args).then(toConnection),
      archiveLoan: (_: unknown, { id }: { id: string }, ctx: CustomerContext) =>
        loans.getArchiveLoan(ctx.em, me(ctx), id).catch(nullIfNotFound),
      archiveLoans: (
        _: unknown,
        args: PageArgs & { filter?: loans.ArchiveLoanFilter },
        ctx: CustomerContext,
      ) => loans.archiveLoans(deps, ctx.em, me(ctx), args.filter ?? {}, args).then(toConnection),
      customerFilesPastRetention: (
        _: unknown,
        args: PageArgs & { asOf?: string },
        ctx: CustomerContext,
      ) => retention.filesPastRetention(deps, ctx.em, me(ctx), args).then(toConnection),
      archiveDestruction: (_: unknown, { id }: { id: string }, ctx: CustomerContext) =>
        retention.getDestruction(ctx.em, me(ctx), id).catch(nullIfNotFound),
      archiveDestructions: (
        _: unknown,
        args: PageArgs & { status?: string },
        ctx: CustomerContext,
      ) => retention.destructions(ctx.em, me(ctx), args).then(toConnection),
    },
    Mutation: {
      createCustomer: async (_: unknown, { input }: { input: object }, ctx: CustomerContext) => ({
        customer: await createCustomer(deps, ctx.identity, input),
      }),
      updateCustomer: async (
        _: unknown,
        { input }: { input: { id: string } },
        ctx: CustomerContext,
      ) => ({
        customer: await updateCustomer(deps, ctx.identity, input),
      }),
      registerAsset: async (
        _: unknown,
        { input }: { input: { customerId: string } },
        ctx: CustomerContext,
      ) => ({
        asset: await registerAsset(deps, ctx.identity, input),
      }),
      logContact: async (
        _: unknown,
        { input }: { input: { customerId: string } },
        ctx: CustomerContext,
      ) => ({
        entry: await logContact(deps, ctx.identity, input),
      }),
      recordAssetSale: async (_: unknown, { input }: { input: object }, ctx: CustomerContext) => ({
        handover: await recordSale(deps, ctx.identity, input),
      }),
      receiveArchiveHandover: async (
        _: unknown,
        { input }: { input: object },
        ctx: CustomerContext,
      ) => ({
        handover: await receiveHandover(deps, ctx.identity, input),
      }),
      ...assetMutations(deps),
      ...loanMutations(deps),
      requestArchiveDestruction: async (
        _: unknown,
        { input }: { input: object },
        ctx: CustomerContext,
      ) => ({ destruction: await retention.requestDestruction(deps, ctx.identity, input) }),
      approveArchiveDestruction: async (
        _: unknown,
        { input }: { input: object },
        ctx: CustomerContext,
      ) => ({ destruction: await retention.approveDestruction(deps, ctx.identity, input) }),
      rejectArchiveDestruction: async (
        _: unknown,
        { input }: { input: object },
        ctx: CustomerContext,
      ) => ({ destruction: await retention.rejectDestruction(deps, ctx.identity, input) }),
    },
    Customer: {
      __resolveReference: (ref: { id: string }, ctx: CustomerContext) =>
        ctx.loaders.customer.load(ref.id),
      region: (c: CustomerRecord) =>
        c.province && c.city ? { province: c.province, city: c.city, district: c.district } : null,
      assets: (c: CustomerRecord, page: PageArgs, ctx: CustomerContext) =>
        ctx.loaders.assetPage.load({ parentId: c.id, ...page }).then(toConnection),
      // Read on one customer's page at a time: one keyset page (`first + 1` indexed rows) each.
      contactLog: (c: CustomerRecord, page: PageArgs, ctx: CustomerContext) =>
        contactLogOf(ctx.em, me(ctx), c.id, page).then(toConnection),
      history: (c: CustomerRecord, page: PageArgs, ctx: CustomerContext) =>
        customerHistory(ctx.em, me(ctx), c.id, page).then(toConnection),
      archiveHandovers: (c: CustomerRecord, page: PageArgs, ctx: CustomerContext) =>
        handoversOf(ctx.em, me(ctx), 'customerId', c.id, page).then(toConnection),
      fileCompleteness: (c: CustomerRecord, _: Args, ctx: CustomerContext) =>
        fileCompletenessOf(deps, ctx.em, me(ctx), c.id),
      archiveLoans: (c: CustomerRecord, page: PageArgs, ctx: CustomerContext) =>
        loans.archiveLoans(deps, ctx.em, me(ctx), { customerId: c.id }, page).then(toConnection),
      retentionEndsOn: (c: CustomerRecord) => retention.retentionEndOf(deps, c),
      archiveDestructions: (c: CustomerRecord, page: PageArgs, ctx: CustomerContext) =>
        retention.destructions(ctx.em, me(ctx), { ...page, customerId: c.id }).then(toConnection),
    },
    ArchiveLoan: {
      customer: (l: ArchiveLoanRecord, _: Args, ctx: CustomerContext) =>
        ctx.loaders.customer.load(l.customerId),
      borrowerId: (l: ArchiveLoanRecord) => l.requestedBy,
      overdue: (l: ArchiveLoanRecord) => isOverdue(l, deps.now()),
      returnedLate: (l: ArchiveLoanRecord) =>
        l.returnedAt !== null && l.returnedAt.getTime() > l.dueAt.getTime(),
      history: (l: ArchiveLoanRecord, _: Args, ctx: CustomerContext) =>
        ctx.loaders.stepsOfLoan.load(l.id),
    },
    ArchiveDestruction: {
      customer: (d: ArchiveDestructionRecord, _: Args, ctx: CustomerContext) =>
        ctx.loaders.customer.load(d.customerId),
    },
    CustomerFileCompleteness: {
      customer: (f: FileCompleteness, _: Args, ctx: CustomerContext) =>
        ctx.loaders.customer.load(f.customerId),
    },
    ArchiveHandover: {
      customer: (h: ArchiveHandoverRecord, _: Args, ctx: CustomerContext) =>
        ctx.loaders.customer.load(h.customerId),
      asset: (h: ArchiveHandoverRecord, _: Args, ctx: CustomerContext) =>
        h.assetId ? ctx.loaders.asset.load(h.assetId) : null,
      violationReportedAt: (h: ArchiveHandoverRecord) => h.violationNotifiedAt,
      documents: (h: ArchiveHandoverRecord, _: Args, ctx: CustomerContext) =>
        ctx.loaders.documentsOfHandover.load(h.id),
    },
    CustomerChange: jsonValues<CustomerChangeRecord>(),
    AssetChange: jsonValues<AssetChangeRecord>(),
    Asset: {
      __resolveReference: (ref: { id: string }, ctx: CustomerContext) =>
        ctx.loaders.asset.load(ref.id),
      customer: (a: AssetRecord, _: Args, ctx: CustomerContext) =>
        ctx.loaders.customer.load(a.customerId),
      contract: (a: AssetRecord) => assetDetailsOf(a).contract,
      entitlement: (a: AssetRecord, { at }: { at?: Date }, ctx: CustomerContext) =>
        serviceEntitlement(deps, ctx.em, me(ctx), a.id, at),
      archiveHandovers: (a: AssetRecord, page: PageArgs, ctx: CustomerContext) =>
        handoversOf(ctx.em, me(ctx), 'assetId', a.id, page).then(toConnection),
      history: (a: AssetRecord, page: PageArgs, ctx: CustomerContext) =>
        lifecycle.assetHistory(ctx.em, me(ctx), a.id, page).then(toConnection),
    },
  } as GraphQLResolverMap<CustomerContext>;
}

/** A history line's before and after, as JSON text. */
const jsonValues = <R extends { oldValue: unknown; newValue: unknown }>() => ({
  oldValue: (c: R) => (c.oldValue === null ? null : JSON.stringify(c.oldValue)),
  newValue: (c: R) => (c.newValue === null ? null : JSON.stringify(c.newValue)),
});

/** R-CU-7: each mutation of an asset file answers with the file after it. */
function assetMutations(deps: CustomerDeps) {
  const changing =
    <I extends { assetId: string }>(
      useCase: (deps: CustomerDeps, caller: Identity | null, input: I) => Promise<AssetRecord>,
    ) =>
    async (_: unknown, { input }: { input: I }, ctx: CustomerContext) => ({
      asset: await useCase(deps, ctx.identity, input),
    });
  return {
    recordAssetReading: changing(lifecycle.recordAssetReading),
    recordAssetMaintenance: changing(lifecycle.recordAssetMaintenance),
    recordAssetUnitSwap: changing(lifecycle.recordAssetUnitSwap),
    renewAssetContract: changing(lifecycle.renewAssetContract),
    extendAssetContract: changing(lifecycle.extendAssetContract),
    transferAsset: changing(lifecycle.transferAsset),
    startAssetWarranty: changing(lifecycle.startAssetWarranty),
  };
}

/** R-CU-4: each step of a loan answers with the loan after it. */
function loanMutations(deps: CustomerDeps) {
  const step =
    <I>(
      useCase: (
        deps: CustomerDeps,
        caller: Identity | null,
        input: I,
      ) => Promise<ArchiveLoanRecord>,
    ) =>
    async (_: unknown, { input }: { input: I }, ctx: CustomerContext) => ({
      loan: await useCase(deps, ctx.identity, input),
    });
  return {
    requestArchiveLoan: step(loans.requestArchiveLoan),
    approveArchiveLoan: step(loans.approveArchiveLoan),
    rejectArchiveLoan: step(loans.rejectArchiveLoan),
    lendArchiveLoan: step(loans.lendArchiveLoan),
    returnArchiveLoan: step(loans.returnArchiveLoan),
    cancelArchiveLoan: step(loans.cancelArchiveLoan),
  };
}
