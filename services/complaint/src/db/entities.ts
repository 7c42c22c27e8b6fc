import { EntitySchema } from '@mikro-orm/core';
import type {
  ApprovalTier,
  Attachment,
  DepartmentRouting,
  MajorRules,
  ComplaintCategory,
  ComplaintChannel,
  ComplaintStatus,
  CustomerDemand,
  Decision,
  ImprovementAction,
  InvestigationReport,
  MajorReason,
  Satisfaction,
  Solution,
} from '../domain';
import { instant, json } from './columns';
import { PenaltyRuleSchema, PenaltySchema } from './penalties';

export * from './penalties';

/**
 * A complaint (R-CO-1) and its workflow state (R-CO-2). Field names are the domain `Complaint`'s,
 * so the record is handed to the pure workflow as is and the result assigned back.
 */
export class ComplaintRecord {
  id!: string;
  number!: string;
  status!: ComplaintStatus;
  complainant!: { name: string; phone: string | null };
  customerId!: string;
  workOrderId: string | null = null;
  assetId: string | null = null;
  channel!: ComplaintChannel;
  category!: ComplaintCategory;
  content!: string;
  demands: CustomerDemand[] = [];
  attachments: Attachment[] = [];
  aboutStaffIds: string[] = [];
  receivedAt!: Date;
  highImpact = false;
  disturbance = false;
  invalidReason: string | null = null;
  department: string | null = null;
  handlerId: string | null = null;
  assignedAt: Date | null = null;
  investigation: InvestigationReport | null = null;
  solution: Solution | null = null;
  firstSolutionAt: Date | null = null;
  rejections: Decision[] = [];
  approval: (Decision & { role: string }) | null = null;
  customerNotifiedAt: Date | null = null;
  closedAt: Date | null = null;
  satisfaction: Satisfaction | null = null;
  escalatedAt: Date | null = null;
  improvementActions: ImprovementAction[] = [];
  /** R-CO-3 reasons this complaint is major, judged at record and re-judged at classification. */
  majorReasons: MajorReason[] = [];
  /** When it became major (R-CO-3: the 24 h to escalate run from then); null while it is not. */
  majorSince: Date | null = null;
  /** The earlier complaint this one repeats (same customer and matter), if any. */
  repeatOfId: string | null = null;
  /** The event that opened it (survey.dissatisfied), unique: one complaint per event. */
  sourceEventId: string | null = null;
  /** The service station handling its work order when it was recorded; null without one. */
  stationCode: string | null = null;
  recordedBy!: string;
  createdAt!: Date;
  updatedAt!: Date;
}

export const ComplaintSchema = new EntitySchema<ComplaintRecord>({
  class: ComplaintRecord,
  tableName: 'complaint',
  properties: {
    id: { type: 'uuid', primary: true },
    number: { type: 'string' },
    status: { type: 'string' },
    complainant: json(),
    customerId: { type: 'uuid' },
    workOrderId: { type: 'uuid', nullable: true },
    assetId: { type: 'uuid', nullable: true },
    channel: { type: 'string' },
    category: { type: 'string' },
    content: { type: 'text' },
    demands: json(),
    attachments: json(),
    aboutStaffIds: json(),
    receivedAt: instant(),
    highImpact: { type: 'boolean' },
    disturbance: { type: 'boolean' },
    invalidReason: { type: 'text', nullable: true },
    department: { type: 'string', nullable: true },
    handlerId: { type: 'string', nullable: true },
    assignedAt: instant(true),
    investigation: json(true),
    solution: json(true),
    firstSolutionAt: instant(true),
    rejections: json(),
    approval: json(true),
    customerNotifiedAt: instant(true),
    closedAt: instant(true),
    satisfaction: { type: 'string', nullable: true },
    escalatedAt: instant(true),
    improvementActions: json(),
    majorReasons: json(),
    majorSince: instant(true),
    repeatOfId: { type: 'uuid', nullable: true },
    sourceEventId: { type: 'string', nullable: true },
    stationCode: { type: 'text', nullable: true },
    recordedBy: { type: 'string' },
    createdAt: instant(),
    updatedAt: instant(),
  },
});

/** R-CO-2: every step with who, when and what. */
export class ComplaintHistoryRecord {
  id!: string;
  complaintId!: string;
  action!: string;
  fromStatus: string | null = null;
  toStatus!: string;
  actorId!: string;
  at!: Date;
  details: Record<string, unknown> | null = null;
}

export const ComplaintHistorySchema = new EntitySchema<ComplaintHistoryRecord>({
  class: ComplaintHistoryRecord,
  tableName: 'complaint_history',
  properties: {
    id: { type: 'uuid', primary: true },
    complaintId: { type: 'uuid' },
    action: { type: 'string' },
    fromStatus: { type: 'string', nullable: true },
    toStatus: { type: 'string' },
    actorId: { type: 'string' },
    at: instant(),
    details: json(true),
  },
});

/** Completed work orders counted from `workorder.completed`: the complaint rate's denominator (R-CO-4). */
export class CompletedWorkOrderRecord {
  workOrderId!: string;
  completedAt!: Date;
  /** Region of the work order and its technicians: the KPIs' scope (docs/rules.md §6). Null on rows stored before. */
  province!: string | null;
  city!: string | null;
  district!: string | null;
  technicianIds!: string[];
  /** The service station that completed it (docs/rules.md §6 per station); null without one. */
  stationCode!: string | null;
}

export const CompletedWorkOrderSchema = new EntitySchema<CompletedWorkOrderRecord>({
  class: CompletedWorkOrderRecord,
  tableName: 'completed_work_order',
  properties: {
    workOrderId: { type: 'uuid', primary: true },
    completedAt: instant(),
    province: { type: 'text', nullable: true },
    city: { type: 'text', nullable: true },
    district: { type: 'text', nullable: true },
    technicianIds: json(),
    stationCode: { type: 'text', nullable: true },
  },
});

/** R-CO-2/R-CO-3 rules as data (routing, approval authority, major-complaint rules); one row. */
export class ComplaintPolicyRecord {
  id = 1;
  routing!: DepartmentRouting;
  approvalTiers!: ApprovalTier[];
  majorRules!: MajorRules;
  updatedBy: string | null = null;
  updatedAt!: Date;
}

export const ComplaintPolicySchema = new EntitySchema<ComplaintPolicyRecord>({
  class: ComplaintPolicyRecord,
  tableName: 'complaint_policy',
  properties: {
    id: { type: 'smallint', primary: true },
    routing: json(),
    approvalTiers: json(),
    majorRules: json(),
    updatedBy: { type: 'string', nullable: true },
    updatedAt: instant(),
  },
});

export const complaintEntities = [
  ComplaintPolicySchema,
  ComplaintSchema,
  ComplaintHistorySchema,
  PenaltyRuleSchema,
  PenaltySchema,
  CompletedWorkOrderSchema,
];
