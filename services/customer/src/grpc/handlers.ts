import {
  type CallContext,
  callerServiceOf,
  checkUuid,
  type MethodRoles,
  type ServiceHandlers,
  withRoles,
} from '@aftercare/kit';
import { customerV1 as pb } from '@aftercare/proto';
import {
  batchGetAssets,
  assetsOfCustomers,
  getAsset,
  registerAsset,
  serviceEntitlement,
} from '../app/assets';
import { CAN_LOG_CONTACT, CAN_READ, CAN_WRITE } from '../app/access';
import { logContact } from '../app/contact-log';
import {
  batchGetCustomers,
  createCustomer,
  getCustomer,
  searchCustomers,
  updateCustomer,
} from '../app/customers';
import type { CustomerDeps } from '../app/deps';
import { assetFile, customerFile, type FileRead, recordReads } from '../app/read-log';
import { purposeOfOperation } from '../domain/read-log';
import {
  assetKinds,
  channels,
  directions,
  fromAddresses,
  fromContacts,
  grades,
  kinds,
  orNull,
  purposes,
  statuses,
  toAsset,
  toContactLogEntry,
  toCustomer,
  toEntitlement,
} from './mapping';

/** Who may call each method: checked before the request is decoded (the use cases check again). */
export const CUSTOMER_GRPC_ROLES: MethodRoles<typeof pb.CustomerServiceService> = {
  createCustomer: CAN_WRITE,
  getCustomer: CAN_READ,
  batchGetCustomers: CAN_READ,
  searchCustomers: CAN_READ,
  updateCustomer: CAN_WRITE,
  registerAsset: CAN_WRITE,
  getAsset: CAN_READ,
  batchGetAssets: CAN_READ,
  listAssets: CAN_READ,
  getServiceEntitlement: CAN_READ,
  logContact: CAN_LOG_CONTACT,
};

/** gRPC adapter: translate, call the use case, translate back. */
export function customerHandlers(
  deps: CustomerDeps,
): ServiceHandlers<typeof pb.CustomerServiceService> {
  const em = () => deps.orm.em.fork();
  /**
   * R-CU-4: logs the files a call answers with as read by its caller through its method; the
   * purpose is the method (with the calling service beside it): gRPC requests carry no purpose.
   */
  const logged = <T>(ctx: CallContext, files: FileRead[], answer: T): T => {
    const method = ctx.method.slice(ctx.method.lastIndexOf('/') + 1);
    recordReads(
      deps,
      {
        // withRoles refused anonymous callers already.
        identity: ctx.identity!,
        channel: 'grpc',
        callerService: callerServiceOf(ctx),
        purpose: purposeOfOperation('grpc', method),
      },
      method,
      files,
    );
    return answer;
  };
  return withRoles(CUSTOMER_GRPC_ROLES, {
    async createCustomer(req, { identity }) {
      const customer = await createCustomer(deps, identity, {
        kind: kinds.decode(req.kind, 'kind'),
        name: req.name,
        grade: grades.decode(req.grade, 'grade'),
        tags: req.tags,
        contacts: fromContacts(req.contacts),
        addresses: fromAddresses(req.addresses),
        responsibleStaffId: req.responsibleStaffId,
        idempotencyKey: req.idempotencyKey,
      });
      return { customer: toCustomer(customer) };
    },
    async getCustomer(req, ctx) {
      const customer = await getCustomer(em(), ctx.identity, req.id);
      return logged(ctx, [customerFile(customer)], { customer: toCustomer(customer) });
    },
    async batchGetCustomers(req, ctx) {
      const customers = await batchGetCustomers(em(), ctx.identity, req.ids);
      return logged(ctx, customers.map(customerFile), { customers: customers.map(toCustomer) });
    },
    async searchCustomers(req, ctx) {
      const page = await searchCustomers(em(), ctx.identity, {
        query: req.query,
        phone: req.phone,
        plateNumber: req.plateNumber,
        vin: req.vin,
        region: req.region,
        grade: grades.decode(req.grade, 'grade'),
        first: req.pageSize || undefined,
        after: req.pageToken || undefined,
      });
      return logged(ctx, page.items.map(customerFile), {
        customers: page.items.map(toCustomer),
        nextPageToken: page.nextCursor ?? '',
        total: page.total,
      });
    },
    async updateCustomer(req, { identity }) {
      const customer = await updateCustomer(deps, identity, {
        id: req.id,
        expectedVersion: req.expectedVersion || null,
        name: req.name,
        grade: grades.decode(req.grade, 'grade'),
        status: statuses.decode(req.status, 'status'),
        tags: req.replaceTags ? req.tags : undefined,
        contacts: req.replaceContacts ? fromContacts(req.contacts) : undefined,
        addresses: req.replaceAddresses ? fromAddresses(req.addresses) : undefined,
        responsibleStaffId: req.responsibleStaffId,
        reason: req.reason,
      });
      return { customer: toCustomer(customer) };
    },
    async registerAsset(req, { identity }) {
      const asset = await registerAsset(deps, identity, {
        customerId: req.customerId,
        kind: assetKinds.decode(req.kind, 'kind'),
        model: req.model,
        serialNumber: req.serialNumber,
        vin: req.vin,
        plateNumber: req.plateNumber,
        purchaseDate: orNull(req.purchaseDate),
        sellingDealer: req.sellingDealer,
        mileageKm: orNull(req.mileageKm),
        runningHours: orNull(req.runningHours),
        warrantyStart: orNull(req.warrantyStart),
        warrantyEnd: orNull(req.warrantyEnd),
        contract: req.contract ?? null,
        maintenanceCycleDays: orNull(req.maintenanceCycleDays),
        lastMaintenance: orNull(req.lastMaintenance),
        idempotencyKey: req.idempotencyKey,
      });
      return { asset: toAsset(asset) };
    },
    async getAsset(req, ctx) {
      const asset = await getAsset(em(), ctx.identity, req.id);
      return logged(ctx, [assetFile(asset)], { asset: toAsset(asset) });
    },
    async batchGetAssets(req, ctx) {
      const assets = await batchGetAssets(em(), ctx.identity, req.ids);
      return logged(ctx, assets.map(assetFile), { assets: assets.map(toAsset) });
    },
    async listAssets(req, ctx) {
      const [assets = []] = await assetsOfCustomers(em(), ctx.identity, [
        checkUuid(req.customerId, 'customerId'),
      ]);
      return logged(ctx, assets.map(assetFile), { assets: assets.map(toAsset) });
    },
    async getServiceEntitlement(req, ctx) {
      const answer = await serviceEntitlement(
        deps,
        em(),
        ctx.identity,
        req.assetId,
        req.at ?? null,
      );
      return logged(
        ctx,
        [assetFile({ id: answer.assetId, customerId: answer.customerId })],
        toEntitlement(answer),
      );
    },
    async logContact(req, { identity }) {
      const entry = await logContact(deps, identity, {
        customerId: req.customerId,
        channel: channels.decode(req.channel, 'channel'),
        direction: directions.decode(req.direction, 'direction'),
        purpose: purposes.decode(req.purpose, 'purpose'),
        summary: req.summary,
        customerRequest: req.customerRequest,
        staffId: req.staffId,
        occurredAt: req.occurredAt ?? null,
        reference: req.reference,
        idempotencyKey: req.idempotencyKey,
      });
      return { entry: toContactLogEntry(entry) };
    },
  });
}
