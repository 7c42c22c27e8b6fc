import { addDays, addMonths, daysBetween } from './dates';

export const REMINDER_KINDS = [
  'MAINTENANCE_DUE',
  'CONTRACT_EXPIRY',
  'WARRANTY_EXPIRY',
  'EVENT_INVITATION',
] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** R-SV-3 lead times (seed figures as defaults). */
export interface ReminderSettings {
  /** Maintenance due: days before the due date (the rule names no figure). */
  maintenanceLeadDays: number;
  /** Service contract expiry: months before the end (保养合同期满前一个月). */
  contractLeadMonths: number;
  /** Free warranty / maintenance period expiry: months before the end. */
  warrantyLeadMonths: number;
  /** Event invitations: days before the event (提前两周). */
  invitationLeadDays: number;
}

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = {
  maintenanceLeadDays: 7,
  contractLeadMonths: 1,
  warrantyLeadMonths: 3,
  invitationLeadDays: 14,
};

/** What the survey service knows of an asset (from `customer.asset_registered` and gRPC). */
export interface AssetDates {
  assetId: string;
  customerId: string;
  warrantyEnd: string | null;
  contractEnd: string | null;
  contractNumber: string | null;
  nextMaintenanceDue: string | null;
  /** The maintenance cycle: once a due date has passed, the next one is a cycle later. */
  maintenanceCycleDays: number | null;
}

/** An event (联谊活动, free check days …) customers of a region are invited to. */
export interface Activity {
  id: string;
  name: string;
  date: string;
}

export interface DueReminder {
  /** Unique: the same reminder is generated once, whatever the replicas or rounds. */
  key: string;
  kind: ReminderKind;
  customerId: string;
  assetId: string | null;
  activityId: string | null;
  /** The date reminded of (contract end, warranty end, due date, event date). */
  targetDate: string;
  /** The date the reminder is due to go out. */
  notifyDate: string;
}

/** The date a reminder of `kind` for `targetDate` goes out. */
export function notifyDateOf(kind: ReminderKind, targetDate: string, s: ReminderSettings): string {
  switch (kind) {
    case 'MAINTENANCE_DUE':
      return addDays(targetDate, -s.maintenanceLeadDays);
    case 'CONTRACT_EXPIRY':
      return addMonths(targetDate, -s.contractLeadMonths);
    case 'WARRANTY_EXPIRY':
      return addMonths(targetDate, -s.warrantyLeadMonths);
    case 'EVENT_INVITATION':
      return addDays(targetDate, -s.invitationLeadDays);
  }
}

/**
 * R-SV-3: the maintenance due date that is current on `today`. The customer file gives the first
 * due date (a cycle after the last maintenance); once it has passed, the next one falls a whole
 * number of cycles later, so maintenance is reminded every cycle and not only once.
 */
export function currentMaintenanceDue(
  due: string | null,
  cycleDays: number | null,
  today: string,
): string | null {
  if (!due || !cycleDays || cycleDays < 1 || due >= today) return due;
  return addDays(due, Math.ceil(daysBetween(due, today) / cycleDays) * cycleDays);
}

const reminderKey = (kind: ReminderKind, subject: string, customerId: string, target: string) =>
  `${kind}:${subject}:${customerId}:${target}`;

/**
 * R-SV-3: the reminders due on `today` for an asset: each whose notify date has come and whose
 * target date has not passed (a reminder after the fact is no reminder). Past ones are never
 * generated late in bulk after an outage longer than the lead time.
 */
export function assetRemindersDue(
  asset: AssetDates,
  today: string,
  s: ReminderSettings,
): DueReminder[] {
  const candidates: [ReminderKind, string | null][] = [
    [
      'MAINTENANCE_DUE',
      currentMaintenanceDue(asset.nextMaintenanceDue, asset.maintenanceCycleDays, today),
    ],
    ['CONTRACT_EXPIRY', asset.contractEnd],
    ['WARRANTY_EXPIRY', asset.warrantyEnd],
  ];
  return candidates.flatMap(([kind, target]) => {
    if (!target) return [];
    const notifyDate = notifyDateOf(kind, target, s);
    if (notifyDate > today || target < today) return [];
    return [
      {
        key: reminderKey(kind, asset.assetId, asset.customerId, target),
        kind,
        customerId: asset.customerId,
        assetId: asset.assetId,
        activityId: null,
        targetDate: target,
        notifyDate,
      },
    ];
  });
}

/** R-SV-3: an invitation per invited customer once the event is two weeks away. */
export function invitationsDue(
  activity: Activity,
  customerIds: readonly string[],
  today: string,
  s: ReminderSettings,
): DueReminder[] {
  const notifyDate = notifyDateOf('EVENT_INVITATION', activity.date, s);
  if (notifyDate > today || activity.date < today) return [];
  return customerIds.map((customerId) => ({
    key: reminderKey('EVENT_INVITATION', activity.id, customerId, activity.date),
    kind: 'EVENT_INVITATION',
    customerId,
    assetId: null,
    activityId: activity.id,
    targetDate: activity.date,
    notifyDate,
  }));
}
