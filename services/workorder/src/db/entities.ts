import { EntitySchema } from '@mikro-orm/core';
import { JsonWithDatesType } from '@aftercare/kit';
import type {
  AreaType,
  Channel,
  Charges,
  GoodsReceipt,
  GoodsRegisterEntry,
  InternalKind,
  Leave,
  Qualifications,
  Shift,
  RepairCard,
  ServiceReport,
  ServiceType,
  Signature,
  SlaPolicyChange,
  SlaPolicyVersion,
  WorkOrder,
  WorkOrderStatus,
} from '../domain';

/** A technician or other staff member on the roster; the id is the user id of their login. */
export class StaffRecord {
  id!: string;
  name!: string;
  position: string | null = null;
  skills: string[] = [];
  province: string | null = null;
  city: string | null = null;
  team: string | null = null;
  /** The service station the person works from: the default station of orders they register. */
  stationCode: string | null = null;
  teamLeadId: string | null = null;
  active = true;
  /** R-WO-10 the qualifications register. */
  qualifications: Qualifications = { skills: [], certificates: [], trainings: [] };
  /** R-WO-10 the weekly shift pattern; null: the business calendar's working hours. */
  shifts: Shift[] | null = null;
  createdAt!: Date;
  updatedAt!: Date;
}

export const StaffSchema = new EntitySchema<StaffRecord>({
  class: StaffRecord,
  tableName: 'staff',
  properties: {
    id: { type: 'string', primary: true },
    name: { type: 'string' },
    position: { type: 'string', nullable: true },
    skills: { type: 'string[]' },
    province: { type: 'string', nullable: true },
    city: { type: 'string', nullable: true },
    team: { type: 'string', nullable: true },
    stationCode: { type: 'string', nullable: true },
    teamLeadId: { type: 'string', nullable: true },
    active: { type: 'boolean' },
    qualifications: { type: 'json' },
    shifts: { type: 'json', nullable: true },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
    updatedAt: { type: 'Date', columnType: 'timestamptz' },
  },
});

/** R-WO-10 a technician's leave (or other absence), end exclusive; cancelled leave is kept. */
export class StaffLeaveRecord implements Leave {
  id!: string;
  staffId!: string;
  startsAt!: Date;
  endsAt!: Date;
  kind!: string;
  note: string | null = null;
  recordedBy!: string;
  recordedAt!: Date;
  cancelledAt: Date | null = null;
}

export const StaffLeaveSchema = new EntitySchema<StaffLeaveRecord>({
  class: StaffLeaveRecord,
  tableName: 'staff_leave',
  properties: {
    id: { type: 'uuid', primary: true },
    staffId: { type: 'string' },
    startsAt: { type: 'Date', columnType: 'timestamptz' },
    endsAt: { type: 'Date', columnType: 'timestamptz' },
    kind: { type: 'string' },
    note: { type: 'string', nullable: true },
    recordedBy: { type: 'string' },
    recordedAt: { type: 'Date', columnType: 'timestamptz' },
    cancelledAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});

/** The terms of an SLA policy (R-WO-3), as the policy and each of its versions store them. */
const slaTerms = {
  areaType: { type: 'string', nullable: true },
  category: { type: 'string', nullable: true },
  supplierInvolved: { type: 'boolean', nullable: true },
  minDistanceKm: { type: 'double' },
  maxDistanceKm: { type: 'double', nullable: true },
  arrivalWorkingHours: { type: 'double', nullable: true },
  answerHours: { type: 'double' },
  onSiteHours: { type: 'double', nullable: true },
  priority: { type: 'integer' },
} as const;

/** The terms of a policy as a policy row and each of its version rows carry them. */
abstract class SlaTermsRecord {
  id!: string;
  areaType: AreaType | null = null;
  category: string | null = null;
  /** R-WO-12: null applies whether or not the supplier must be involved. */
  supplierInvolved: boolean | null = null;
  minDistanceKm = 0;
  maxDistanceKm: number | null = null;
  arrivalWorkingHours: number | null = null;
  answerHours!: number;
  onSiteHours: number | null = null;
  priority = 0;
}

export class SlaPolicyRecord extends SlaTermsRecord {
  /** The latest version (R-WO-12); its row in `sla_policy_version` says who, when and why. */
  version = 1;
  /** Retired policies apply to no new order. */
  retired = false;
  updatedBy!: string;
  updatedAt!: Date;
}

export const SlaPolicySchema = new EntitySchema<SlaPolicyRecord>({
  class: SlaPolicyRecord,
  tableName: 'sla_policy',
  properties: {
    id: { type: 'string', primary: true },
    ...slaTerms,
    version: { type: 'integer' },
    retired: { type: 'boolean' },
    updatedBy: { type: 'string' },
    updatedAt: { type: 'Date', columnType: 'timestamptz' },
  },
});

/** R-WO-12: every version of every SLA policy, append-only: the audit of who changed what, when and why. */
export class SlaPolicyVersionRecord extends SlaTermsRecord implements SlaPolicyVersion {
  version!: number;
  change!: SlaPolicyChange;
  retired = false;
  changedBy!: string;
  changedAt!: Date;
  reason!: string;
}

export const SlaPolicyVersionSchema = new EntitySchema<SlaPolicyVersionRecord>({
  class: SlaPolicyVersionRecord,
  tableName: 'sla_policy_version',
  properties: {
    id: { type: 'string', primary: true, fieldName: 'policy_id' },
    version: { type: 'integer', primary: true },
    change: { type: 'string' },
    retired: { type: 'boolean' },
    ...slaTerms,
    changedBy: { type: 'string' },
    changedAt: { type: 'Date', columnType: 'timestamptz' },
    reason: { type: 'string' },
  },
});

export class WorkOrderRecord implements WorkOrder {
  id!: string;
  number!: string;
  customerId: string | null = null;
  assetId: string | null = null;
  contact: { name: string; phone: string } | null = null;
  addressLine: string | null = null;
  province: string | null = null;
  city: string | null = null;
  district: string | null = null;
  areaType: AreaType | null = null;
  distanceKm: number | null = null;
  faultDescription!: string;
  category!: string;
  channel!: Channel;
  serviceType!: ServiceType;
  entitlementReason: string | null = null;
  internalKind: InternalKind | null = null;
  status!: WorkOrderStatus;
  slaPolicyId: string | null = null;
  /** R-WO-12: the version of the policy in force at registration; the deadlines follow from it. */
  slaPolicyVersion: number | null = null;
  /** R-WO-12: the supplier must be involved (the 12 h answer applies). */
  supplierInvolved = false;
  calledAt!: Date;
  registeredBy!: string;
  /** The service station handling the order (docs/rules.md §6 KPIs are cut by it); null when none is set. */
  stationCode: string | null = null;
  /** R-WO-10: the product line of the asset, as intake named it. */
  productLine: string | null = null;
  answerDueAt: Date | null = null;
  arrivalDueAt: Date | null = null;
  onSiteDueAt: Date | null = null;
  answeredAt: Date | null = null;
  dispatchedAt: Date | null = null;
  arrivedAt: Date | null = null;
  completedAt: Date | null = null;
  signedAt: Date | null = null;
  closedAt: Date | null = null;
  cancelledAt: Date | null = null;
  cancelReason: string | null = null;
  technicianIds: string[] = [];
  leadTechnicianId: string | null = null;
  repeatOfId: string | null = null;
  report: ServiceReport | null = null;
  signature: Signature | null = null;
  charges: Charges | null = null;
  goodsReceipt: GoodsReceipt | null = null;
  goodsRegister: GoodsRegisterEntry[] = [];
  repairCard: RepairCard | null = null;
  createdAt!: Date;
  updatedAt!: Date;
  version = 1;
}

const instant = { type: 'Date', columnType: 'timestamptz', nullable: true } as const;
const valueObject = { type: JsonWithDatesType, columnType: 'jsonb', nullable: true } as const;

export const WorkOrderSchema = new EntitySchema<WorkOrderRecord>({
  class: WorkOrderRecord,
  tableName: 'work_order',
  properties: {
    id: { type: 'uuid', primary: true },
    number: { type: 'string', unique: true },
    customerId: { type: 'uuid', nullable: true },
    assetId: { type: 'uuid', nullable: true },
    contact: { type: 'json', nullable: true },
    addressLine: { type: 'string', nullable: true },
    province: { type: 'string', nullable: true },
    city: { type: 'string', nullable: true },
    district: { type: 'string', nullable: true },
    areaType: { type: 'string', nullable: true },
    distanceKm: { type: 'double', nullable: true },
    faultDescription: { type: 'text' },
    category: { type: 'string' },
    channel: { type: 'string' },
    serviceType: { type: 'string' },
    entitlementReason: { type: 'string', nullable: true },
    internalKind: { type: 'string', nullable: true },
    status: { type: 'string' },
    slaPolicyId: { type: 'string', nullable: true },
    slaPolicyVersion: { type: 'integer', nullable: true },
    supplierInvolved: { type: 'boolean' },
    calledAt: { type: 'Date', columnType: 'timestamptz' },
    registeredBy: { type: 'string' },
    stationCode: { type: 'string', nullable: true },
    productLine: { type: 'string', nullable: true },
    answerDueAt: instant,
    arrivalDueAt: instant,
    onSiteDueAt: instant,
    answeredAt: instant,
    dispatchedAt: instant,
    arrivedAt: instant,
    completedAt: instant,
    signedAt: instant,
    closedAt: instant,
    cancelledAt: instant,
    cancelReason: { type: 'string', nullable: true },
    technicianIds: { type: 'string[]' },
    leadTechnicianId: { type: 'string', nullable: true },
    repeatOfId: { type: 'uuid', nullable: true },
    report: valueObject,
    signature: valueObject,
    charges: valueObject,
    goodsReceipt: valueObject,
    goodsRegister: { ...valueObject, nullable: false },
    repairCard: valueObject,
    createdAt: { type: 'Date', columnType: 'timestamptz' },
    updatedAt: { type: 'Date', columnType: 'timestamptz' },
    version: { type: 'integer', version: true },
  },
});

/** Every transition and dispatch decision, with who and when (R-WO-2). */
export class WorkOrderHistoryRecord {
  id!: string;
  workOrderId!: string;
  action!: string;
  fromStatus: WorkOrderStatus | null = null;
  toStatus!: WorkOrderStatus;
  actorId!: string;
  at!: Date;
  reason: string | null = null;
  details: Record<string, unknown> | null = null;
}

export const WorkOrderHistorySchema = new EntitySchema<WorkOrderHistoryRecord>({
  class: WorkOrderHistoryRecord,
  tableName: 'work_order_history',
  properties: {
    id: { type: 'uuid', primary: true },
    workOrderId: { type: 'uuid' },
    action: { type: 'string' },
    fromStatus: { type: 'string', nullable: true },
    toStatus: { type: 'string' },
    actorId: { type: 'string' },
    at: { type: 'Date', columnType: 'timestamptz' },
    reason: { type: 'string', nullable: true },
    details: { type: 'json', nullable: true },
  },
});

export const workOrderEntities = [
  StaffSchema,
  StaffLeaveSchema,
  SlaPolicySchema,
  SlaPolicyVersionSchema,
  WorkOrderSchema,
  WorkOrderHistorySchema,
];
