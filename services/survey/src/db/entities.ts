import { EntitySchema } from '@mikro-orm/core';
import type {
  AnsweredVia,
  Answers,
  CallOutcome,
  FollowUpStatus,
  ReminderKind,
  SurveyKind,
  SurveyStatus,
  SurveyTemplate,
  TemplateItem,
} from '../domain';

const date = { type: 'string', columnType: 'date' } as const;
const optionalDate = { ...date, nullable: true } as const;
const instant = { type: 'Date', columnType: 'timestamptz' } as const;
const optionalInstant = { ...instant, nullable: true } as const;
const text = { type: 'string' } as const;
const optionalText = { type: 'string', nullable: true } as const;

export class TemplateRecord {
  code!: string;
  name!: string;
  kind!: SurveyKind;
  items!: TemplateItem[];
  suggestions!: boolean;
  updatedAt!: Date;
}

export const TemplateSchema = new EntitySchema<TemplateRecord>({
  class: TemplateRecord,
  tableName: 'survey_template',
  properties: {
    code: { type: 'string', primary: true },
    name: text,
    kind: text,
    items: { type: 'json' },
    suggestions: { type: 'boolean' },
    updatedAt: instant,
  },
});

export class SurveyRecord {
  id!: string;
  kind!: SurveyKind;
  /** The template as it was when the survey was created: later edits never change a survey. */
  template!: SurveyTemplate;
  workOrderId: string | null = null;
  workOrderNumber: string | null = null;
  complaintId: string | null = null;
  complaintNumber: string | null = null;
  customerId: string | null = null;
  assetId: string | null = null;
  technicianIds: string[] = [];
  province: string | null = null;
  city: string | null = null;
  district: string | null = null;
  /** The service station that did the work (docs/rules.md §6 per station); null without one. */
  stationCode: string | null = null;
  serviceType: string | null = null;
  /** When the surveyed service ended (work order completed, complaint closed). */
  serviceAt!: Date;
  /** Its business date: periods and months of the scores are counted on it. */
  serviceDate!: string;
  status: SurveyStatus = 'OPEN';
  tokenHash: string | null = null;
  tokenExpiresAt: Date | null = null;
  answers: Answers | null = null;
  answeredAt: Date | null = null;
  answeredVia: AnsweredVia | null = null;
  answeredBy: string | null = null;
  dissatisfied = false;
  createdAt!: Date;
}

export const SurveySchema = new EntitySchema<SurveyRecord>({
  class: SurveyRecord,
  tableName: 'survey',
  properties: {
    id: { type: 'uuid', primary: true },
    kind: text,
    template: { type: 'json' },
    workOrderId: { type: 'uuid', nullable: true },
    workOrderNumber: optionalText,
    complaintId: { type: 'uuid', nullable: true },
    complaintNumber: optionalText,
    customerId: { type: 'uuid', nullable: true },
    assetId: { type: 'uuid', nullable: true },
    technicianIds: { type: 'json' },
    province: optionalText,
    city: optionalText,
    district: optionalText,
    stationCode: optionalText,
    serviceType: optionalText,
    serviceAt: instant,
    serviceDate: date,
    status: text,
    tokenHash: optionalText,
    tokenExpiresAt: optionalInstant,
    answers: { type: 'json', nullable: true },
    answeredAt: optionalInstant,
    answeredVia: optionalText,
    answeredBy: optionalText,
    dissatisfied: { type: 'boolean' },
    createdAt: instant,
  },
});

export class FollowUpRecord {
  id!: string;
  workOrderId!: string;
  workOrderNumber!: string;
  surveyId: string | null = null;
  customerId!: string;
  assetId: string | null = null;
  technicianIds: string[] = [];
  sequence!: number;
  topics!: string[];
  windowStart!: string;
  windowEnd!: string;
  /** The day it is on an agent's call list: the window start, or the callback asked for. */
  callDate!: string;
  callbackAt: Date | null = null;
  status: FollowUpStatus = 'PLANNED';
  attempts = 0;
  lastOutcome: CallOutcome | null = null;
  /** Reached (or refused): counts for the follow-up rate. */
  followedUp = false;
  serviceType!: string;
  province: string | null = null;
  city: string | null = null;
  district: string | null = null;
  /** The service station that did the work (docs/rules.md §6 per station); null without one. */
  stationCode: string | null = null;
  serviceDate!: string;
  createdAt!: Date;
}

export const FollowUpSchema = new EntitySchema<FollowUpRecord>({
  class: FollowUpRecord,
  tableName: 'follow_up',
  properties: {
    id: { type: 'uuid', primary: true },
    workOrderId: { type: 'uuid' },
    workOrderNumber: text,
    surveyId: { type: 'uuid', nullable: true },
    customerId: { type: 'uuid' },
    assetId: { type: 'uuid', nullable: true },
    technicianIds: { type: 'json' },
    sequence: { type: 'integer' },
    topics: { type: 'json' },
    windowStart: date,
    windowEnd: date,
    callDate: date,
    callbackAt: optionalInstant,
    status: text,
    attempts: { type: 'integer' },
    lastOutcome: optionalText,
    followedUp: { type: 'boolean' },
    serviceType: text,
    province: optionalText,
    city: optionalText,
    district: optionalText,
    stationCode: optionalText,
    serviceDate: date,
    createdAt: instant,
  },
});

export class FollowUpCallRecord {
  id!: string;
  followUpId!: string;
  customerId!: string;
  outcome!: CallOutcome;
  summary: string | null = null;
  complaint: string | null = null;
  callbackAt: Date | null = null;
  agentId!: string;
  calledAt!: Date;
}

export const FollowUpCallSchema = new EntitySchema<FollowUpCallRecord>({
  class: FollowUpCallRecord,
  tableName: 'follow_up_call',
  properties: {
    id: { type: 'uuid', primary: true },
    followUpId: { type: 'uuid' },
    customerId: { type: 'uuid' },
    outcome: text,
    summary: optionalText,
    complaint: optionalText,
    callbackAt: optionalInstant,
    agentId: text,
    calledAt: instant,
  },
});

/** What survey knows of a customer, from the customer events. */
export class CustomerFileRecord {
  customerId!: string;
  status!: string;
  province: string | null = null;
  city: string | null = null;
  version!: number;
}

export const CustomerFileSchema = new EntitySchema<CustomerFileRecord>({
  class: CustomerFileRecord,
  tableName: 'customer_file',
  properties: {
    customerId: { type: 'uuid', primary: true },
    status: text,
    province: optionalText,
    city: optionalText,
    version: { type: 'integer' },
  },
});

/** The dates of an asset that reminders are computed from (R-SV-3). */
export class AssetFileRecord {
  assetId!: string;
  customerId!: string;
  warrantyEnd: string | null = null;
  contractEnd: string | null = null;
  contractNumber: string | null = null;
  nextMaintenanceDue: string | null = null;
  maintenanceCycleDays: number | null = null;
  /** The asset file's version (R-CU-7): an older event never overwrites a newer file. */
  version = 1;
  updatedAt!: Date;
}

export const AssetFileSchema = new EntitySchema<AssetFileRecord>({
  class: AssetFileRecord,
  tableName: 'asset_file',
  properties: {
    assetId: { type: 'uuid', primary: true },
    customerId: { type: 'uuid' },
    warrantyEnd: optionalDate,
    contractEnd: optionalDate,
    contractNumber: optionalText,
    nextMaintenanceDue: optionalDate,
    maintenanceCycleDays: { type: 'integer', nullable: true },
    version: { type: 'integer' },
    updatedAt: instant,
  },
});

/** An event customers are invited to (联谊活动, free check days …). */
export class ActivityRecord {
  id!: string;
  name!: string;
  date!: string;
  /** Customers of this province (and city) are invited; null: all. */
  province: string | null = null;
  city: string | null = null;
  createdBy!: string;
  createdAt!: Date;
}

export const ActivitySchema = new EntitySchema<ActivityRecord>({
  class: ActivityRecord,
  tableName: 'activity',
  properties: {
    id: { type: 'uuid', primary: true },
    name: text,
    date,
    province: optionalText,
    city: optionalText,
    createdBy: text,
    createdAt: instant,
  },
});

export class ReminderRecord {
  id!: string;
  key!: string;
  kind!: ReminderKind;
  customerId!: string;
  assetId: string | null = null;
  activityId: string | null = null;
  targetDate!: string;
  notifyDate!: string;
  createdAt!: Date;
}

export const ReminderSchema = new EntitySchema<ReminderRecord>({
  class: ReminderRecord,
  tableName: 'reminder',
  properties: {
    id: { type: 'uuid', primary: true },
    key: text,
    kind: text,
    customerId: { type: 'uuid' },
    assetId: { type: 'uuid', nullable: true },
    activityId: { type: 'uuid', nullable: true },
    targetDate: date,
    notifyDate: date,
    createdAt: instant,
  },
});

export const surveyEntities = [
  TemplateSchema,
  SurveySchema,
  FollowUpSchema,
  FollowUpCallSchema,
  CustomerFileSchema,
  AssetFileSchema,
  ActivitySchema,
  ReminderSchema,
];
