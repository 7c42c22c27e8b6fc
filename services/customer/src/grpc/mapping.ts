import { enumCodec } from '@aftercare/kit';
import { customerV1 as pb } from '@aftercare/proto';
import type { AssetKind, EntitlementKind } from '../domain/asset';
import type { ContactChannel, ContactDirection, ContactPurpose } from '../domain/contact-log';
import type { CustomerGrade, CustomerKind, FileStatus } from '../domain/customer';
import type { EntitlementAnswer } from '../app/assets';
import { assetDetailsOf } from '../app/assets';
import type { AssetRecord, ContactLogRecord, CustomerRecord } from '../db/entities';

export const kinds = enumCodec<CustomerKind>(pb.CustomerKind, 'CUSTOMER_KIND_');
export const grades = enumCodec<CustomerGrade>(pb.CustomerGrade, 'CUSTOMER_GRADE_');
export const statuses = enumCodec<FileStatus>(pb.CustomerStatus, 'CUSTOMER_STATUS_');
export const assetKinds = enumCodec<AssetKind>(pb.AssetKind, 'ASSET_KIND_');
export const entitlements = enumCodec<EntitlementKind>(pb.Entitlement, 'ENTITLEMENT_');
export const channels = enumCodec<ContactChannel>(pb.ContactChannel, 'CONTACT_CHANNEL_');
export const directions = enumCodec<ContactDirection>(pb.ContactDirection, 'CONTACT_DIRECTION_');
export const purposes = enumCodec<ContactPurpose>(pb.ContactPurpose, 'CONTACT_PURPOSE_');

/** proto3 has no null: empty strings and zeros mean "not given". */
export const orNull = <T>(v: T | undefined | null | '' | 0): T | null =>
  v === undefined || v === '' || v === 0 ? null : (v as T);

export function toCustomer(r: CustomerRecord): pb.Customer {
  return {
    id: r.id,
    code: r.code,
    kind: kinds.encode(r.kind),
    name: r.name,
    grade: grades.encode(r.grade),
    status: statuses.encode(r.status),
    region:
      r.province && r.city
        ? { province: r.province, city: r.city, district: r.district ?? '' }
        : undefined,
    tags: r.tags,
    contacts: r.contacts.map((c, i) => ({
      id: String(i),
      name: c.name,
      role: c.role ?? '',
      mobile: c.mobile ?? '',
      phone: c.phone ?? '',
      email: c.email ?? '',
      primary: c.primary,
    })),
    addresses: r.addresses.map((a, i) => ({
      id: String(i),
      region: {
        province: a.region.province,
        city: a.region.city,
        district: a.region.district ?? '',
      },
      line: a.line ?? '',
      postalCode: a.postalCode ?? '',
      primary: a.primary,
    })),
    responsibleStaffId: r.responsibleStaffId ?? '',
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
  };
}

export function toAsset(r: AssetRecord): pb.Asset {
  const d = assetDetailsOf(r);
  return {
    id: r.id,
    customerId: r.customerId,
    kind: assetKinds.encode(d.kind),
    model: d.model,
    serialNumber: d.serialNumber ?? '',
    vin: d.vin ?? '',
    plateNumber: d.plateNumber ?? '',
    purchaseDate: d.purchaseDate ?? '',
    sellingDealer: d.sellingDealer ?? '',
    mileageKm: d.mileageKm ?? 0,
    runningHours: d.runningHours ?? 0,
    warrantyStart: d.warrantyStart ?? '',
    warrantyEnd: d.warrantyEnd ?? '',
    contract: d.contract
      ? {
          number: d.contract.number,
          kind: d.contract.kind ?? '',
          startDate: d.contract.startDate,
          endDate: d.contract.endDate,
        }
      : undefined,
    maintenanceCycleDays: d.maintenanceCycleDays ?? 0,
    nextMaintenanceDue: d.nextMaintenanceDue ?? '',
    createdAt: r.createdAt,
  };
}

export function toEntitlement(e: EntitlementAnswer): pb.GetServiceEntitlementResponse {
  return {
    entitlement: entitlements.encode(e.kind),
    reason: e.reason,
    warrantyEnd: e.warrantyEnd ?? '',
    contractEnd: e.contractEnd ?? '',
    contractNumber: e.contractNumber ?? '',
    customerId: e.customerId,
    assetId: e.assetId,
  };
}

export function toContactLogEntry(r: ContactLogRecord): pb.ContactLogEntry {
  return {
    id: r.id,
    customerId: r.customerId,
    channel: channels.encode(r.channel),
    direction: directions.encode(r.direction),
    purpose: purposes.encode(r.purpose),
    summary: r.summary,
    customerRequest: r.customerRequest ?? '',
    staffId: r.staffId,
    occurredAt: r.occurredAt,
    reference: r.reference ?? '',
  };
}

export const fromContacts = (list: pb.ContactInput[]) =>
  list.map((c) => ({
    name: c.name,
    role: c.role,
    mobile: c.mobile,
    phone: c.phone,
    email: c.email,
    primary: c.primary,
  }));

export const fromAddresses = (list: pb.AddressInput[]) =>
  list.map((a) => ({
    region: a.region ?? null,
    line: a.line,
    postalCode: a.postalCode,
    primary: a.primary,
  }));
