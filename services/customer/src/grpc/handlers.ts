import { checkUuid, type MethodRoles, type ServiceHandlers, withRoles } from '@aftercare/kit';
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
    async getCustomer(req, { identity }) {
      return { customer: toCustomer(await getCustomer(em(), identity, req.id)) };
    },
    async batchGetCustomers(req, { identity }) {
      return { customers: (await batchGetCustomers(em(), identity, req.ids)).map(toCustomer) };
    },
    async searchCustomers(req, { identity }) {
      const page = await searchCustomers(em(), identity, {
        query: req.query,
        phone: req.phone,
        plateNumber: req.plateNumber,
        vin: req.vin,
        region: req.region,
        grade: grades.decode(req.grade, 'grade'),
        first: req.pageSize || undefined,
        after: req.pageToken || undefined,
      });
      return {
        customers: page.items.map(toCustomer),
        nextPageToken: page.nextCursor ?? '',
        total: page.total,
      };
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
    async getAsset(req, { identity }) {
      return { asset: toAsset(await getAsset(em(), identity, req.id)) };
    },
    async batchGetAssets(req, { identity }) {
      return { assets: (await batchGetAssets(em(), identity, req.ids)).map(toAsset) };
    },
    async listAssets(req, { identity }) {
      const [assets] = await assetsOfCustomers(em(), identity, [
        checkUuid(req.customerId, 'customerId'),
      ]);
      return { assets: (assets ?? []).map(toAsset) };
    },
    async getServiceEntitlement(req, { identity }) {
      return toEntitlement(
        await serviceEntitlement(deps, em(), identity, req.assetId, req.at ?? null),
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
