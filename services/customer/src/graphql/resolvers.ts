import type { GraphQLResolverMap } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import {
  clientOperationName,
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
  type SubgraphContext,
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
  entitlementOf,
  serviceEntitlement,
} from '../app/assets';
import * as lifecycle from '../app/asset-lifecycle';
import * as retention from '../app/retention';
import { contactLogOf, logContact } from '../app/contact-log';
import {
  type FileRead,
  type GraphReads,
  archiveReads,
  assetFile,
  customerFile,
  exportArchiveReads,
  graphReads,
} from '../app/read-log';
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
  ArchiveReadRecord,
  ArchiveLoanRecord,
  ArchiveLoanStepRecord,
  AssetChangeRecord,
  AssetRecord,
  CustomerChangeRecord,
  CustomerRecord,
} from '../db/entities';

export type CustomerContext = RequestContext<ReturnType<typeof createLoaders>> & {
  /** R-CU-4: the files this request reads, logged once per field. */
  reads: GraphReads;
};

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

export const customerContext = (deps: CustomerDeps) => {
  const base = requestContext(deps.orm, createLoaders);
  return (sub: SubgraphContext): CustomerContext => ({
    ...base(sub),
    reads: graphReads(deps, sub.identity),
  });
};

type Args = Record<string, never>;
type PageArgs = { first?: number; after?: string };
type Purpose = { purpose?: string | null };
type Info = GraphQLResolveInfo;
const me = (ctx: CustomerContext) => ctx.identity;

/**
 * R-CU-4: logs what a resolver answers as read through its field, then answers it. Everywhere a
 * customer or asset file (or part of one) leaves the service, whichever type it is reached from.
 */
const logged =
  <T>(
    ctx: CustomerContext,
    info: Info,
    files: (value: T) => FileRead[],
    field = `${info.parentType.name}.${info.fieldName}`,
  ) =>
  <V extends T | null | undefined>(value: V): V => {
    if (value != null)
      ctx.reads.record(field, clientOperationName(info.operation.name?.value), files(value));
    return value;
  };
const aCustomer = (c: { id: string }) => [customerFile(c)];
const anAsset = (a: { id: string; customerId: string }) => [assetFile(a)];
const itsCustomer = (c: { id: string }) => () => [customerFile(c)];
const itsAsset = (a: AssetRecord) => () => [assetFile(a)];
/** An entitlement or a handover: about an asset (or only a customer), with its owner. */
const itsFiles = (x: { customerId: string; assetId: string | null }) => [
  { customerId: x.customerId, assetId: x.assetId },
];
const customersOf = (page: Page<CustomerRecord>) => page.items.map(customerFile);
const assetsOf = (page: Page<AssetRecord>) => page.items.map(assetFile);
const filesOf = (page: Page<FileCompleteness>) =>
  page.items.map((f) => customerFile({ id: f.customerId }));

export function customerResolvers(deps: CustomerDeps): GraphQLResolverMap<CustomerContext> {
  return {
    DateTime: DateTimeScalar,
    Date: DateScalar,
    Query: {
      customer: (
        _: unknown,
        { id, purpose }: { id: string } & Purpose,
        ctx: CustomerContext,
        info: Info,
      ) => {
        ctx.reads.purpose(purpose);
        return getCustomer(ctx.em, me(ctx), id)
          .then(logged(ctx, info, aCustomer))
          .catch(nullIfNotFound);
      },
      customers: (
        _: unknown,
        args: { filter?: object; first?: number; after?: string } & Purpose,
        ctx: CustomerContext,
        info: Info,
      ) => {
        ctx.reads.purpose(args.purpose);
        return searchCustomers(ctx.em, me(ctx), {
          ...args.filter,
          first: args.first,
          after: args.after,
        })
          .then(logged(ctx, info, customersOf))
          .then(toConnection);
      },
      asset: (
        _: unknown,
        { id, purpose }: { id: string } & Purpose,
        ctx: CustomerContext,
        info: Info,
      ) => {
        ctx.reads.purpose(purpose);
        return getAsset(ctx.em, me(ctx), id)
          .then(logged(ctx, info, anAsset))
          .catch(nullIfNotFound);
      },
      serviceEntitlement: (
        _: unknown,
        { assetId, at, purpose }: { assetId: string; at?: Date } & Purpose,
        ctx: CustomerContext,
        info: Info,
      ) => {
        ctx.reads.purpose(purpose);
        return serviceEntitlement(deps, ctx.em, me(ctx), assetId, at).then(
          logged(ctx, info, itsFiles),
        );
      },
      archiveHandover: (_: unknown, { id }: { id: string }, ctx: CustomerContext, info: Info) =>
        getHandover(ctx.em, me(ctx), id)
          .then(logged(ctx, info, itsFiles))
          .catch(nullIfNotFound),
      incompleteCustomerFiles: (
        _: unknown,
        args: PageArgs & { lateOnly?: boolean },
        ctx: CustomerContext,
        info: Info,
      ) =>
        incompleteFiles(deps, ctx.em, me(ctx), args)
          .then(logged(ctx, info, filesOf))
          .then(toConnection),
      archiveReads: (
        _: unknown,
        args: PageArgs & { filter?: object | null },
        ctx: CustomerContext,
      ) => archiveReads(ctx.em, me(ctx), args.filter ?? {}, args).then(toConnection),
      archiveReadExport: (_: unknown, args: { filter: object }, ctx: CustomerContext) =>
        exportArchiveReads(ctx.em, me(ctx), args.filter),
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
      __resolveReference: (ref: { id: string }, ctx: CustomerContext, info: Info) =>
        ctx.loaders.customer
          .load(ref.id)
          .then(logged(ctx, info, aCustomer, 'Customer.__resolveReference')),
      region: (c: CustomerRecord) =>
        c.province && c.city ? { province: c.province, city: c.city, district: c.district } : null,
      assets: (c: CustomerRecord, page: PageArgs, ctx: CustomerContext, info: Info) =>
        ctx.loaders.assetPage
          .load({ parentId: c.id, ...page })
          .then(logged(ctx, info, assetsOf))
          .then(toConnection),
      // Read on one customer's page at a time: one keyset page (`first + 1` indexed rows) each.
      contactLog: (c: CustomerRecord, page: PageArgs, ctx: CustomerContext, info: Info) =>
        contactLogOf(ctx.em, me(ctx), c.id, page)
          .then(logged(ctx, info, itsCustomer(c)))
          .then(toConnection),
      history: (c: CustomerRecord, page: PageArgs, ctx: CustomerContext, info: Info) =>
        customerHistory(ctx.em, me(ctx), c.id, page)
          .then(logged(ctx, info, itsCustomer(c)))
          .then(toConnection),
      archiveHandovers: (c: CustomerRecord, page: PageArgs, ctx: CustomerContext, info: Info) =>
        handoversOf(ctx.em, me(ctx), 'customerId', c.id, page)
          .then(logged(ctx, info, itsCustomer(c)))
          .then(toConnection),
      fileCompleteness: (c: CustomerRecord, _: Args, ctx: CustomerContext, info: Info) =>
        fileCompletenessOf(deps, ctx.em, me(ctx), c.id).then(logged(ctx, info, itsCustomer(c))),
      archiveLoans: (c: CustomerRecord, page: PageArgs, ctx: CustomerContext, info: Info) =>
        loans
          .archiveLoans(deps, ctx.em, me(ctx), { customerId: c.id }, page)
          .then(logged(ctx, info, itsCustomer(c)))
          .then(toConnection),
      retentionEndsOn: (c: CustomerRecord) => retention.retentionEndOf(deps, c),
      archiveDestructions: (c: CustomerRecord, page: PageArgs, ctx: CustomerContext) =>
        retention.destructions(ctx.em, me(ctx), { ...page, customerId: c.id }).then(toConnection),
    },
    ArchiveLoan: {
      customer: (l: ArchiveLoanRecord, _: Args, ctx: CustomerContext, info: Info) =>
        ctx.loaders.customer.load(l.customerId).then(logged(ctx, info, aCustomer)),
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
      customer: (f: FileCompleteness, _: Args, ctx: CustomerContext, info: Info) =>
        ctx.loaders.customer.load(f.customerId).then(logged(ctx, info, aCustomer)),
    },
    ArchiveHandover: {
      customer: (h: ArchiveHandoverRecord, _: Args, ctx: CustomerContext, info: Info) =>
        ctx.loaders.customer.load(h.customerId).then(logged(ctx, info, aCustomer)),
      asset: (h: ArchiveHandoverRecord, _: Args, ctx: CustomerContext, info: Info) =>
        h.assetId ? ctx.loaders.asset.load(h.assetId).then(logged(ctx, info, anAsset)) : null,
      violationReportedAt: (h: ArchiveHandoverRecord) => h.violationNotifiedAt,
      documents: (h: ArchiveHandoverRecord, _: Args, ctx: CustomerContext) =>
        ctx.loaders.documentsOfHandover.load(h.id),
    },
    CustomerChange: jsonValues<CustomerChangeRecord>(),
    AssetChange: jsonValues<AssetChangeRecord>(),
    Asset: {
      __resolveReference: (ref: { id: string }, ctx: CustomerContext, info: Info) =>
        ctx.loaders.asset.load(ref.id).then(logged(ctx, info, anAsset, 'Asset.__resolveReference')),
      customer: (a: AssetRecord, _: Args, ctx: CustomerContext, info: Info) =>
        ctx.loaders.customer.load(a.customerId).then(logged(ctx, info, aCustomer)),
      contract: (a: AssetRecord) => assetDetailsOf(a).contract,
      // The owners of a list of assets in one batched read, not the assets again one by one.
      entitlement: (a: AssetRecord, { at }: { at?: Date }, ctx: CustomerContext, info: Info) =>
        ctx.loaders.customer
          .load(a.customerId)
          .then((owner) => entitlementOf(deps, me(ctx), a, assetDetailsOf(a), owner?.status, at))
          .then(logged(ctx, info, itsAsset(a))),
      archiveHandovers: (a: AssetRecord, page: PageArgs, ctx: CustomerContext, info: Info) =>
        handoversOf(ctx.em, me(ctx), 'assetId', a.id, page)
          .then(logged(ctx, info, itsAsset(a)))
          .then(toConnection),
      history: (a: AssetRecord, page: PageArgs, ctx: CustomerContext, info: Info) =>
        lifecycle
          .assetHistory(ctx.em, me(ctx), a.id, page)
          .then(logged(ctx, info, itsAsset(a)))
          .then(toConnection),
    },
    ArchiveRead: {
      channel: (r: ArchiveReadRecord) => r.channel.toUpperCase(),
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
