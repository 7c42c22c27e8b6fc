import type { BusinessCalendar } from '@aftercare/calendar';
import { type EventPublisher, isAppError, type Logger, type Orm } from '@aftercare/kit';
import type { AssetDates, FollowUpPlanSettings, ReminderSettings } from '../domain';

/** What survey needs from the customer service (gRPC). */
export interface CustomerDirectory {
  /** Current dates of the assets (the customer file is the source of truth); unknown ids left out. */
  assetDates(assetIds: string[]): Promise<AssetDates[]>;
}

/** A call to another service that may well work on the next round (it is down or slow). */
export const isTransient = (e: unknown): boolean =>
  isAppError(e) && (e.code === 'UNAVAILABLE' || e.code === 'DEADLINE_EXCEEDED');

export interface SurveySettings {
  dissatisfiedThreshold: number;
  linkTtlHours: number;
  workOrderTemplate: string;
  plan: FollowUpPlanSettings;
  reminders: ReminderSettings;
}

export interface SurveyDeps {
  orm: Orm;
  events: EventPublisher;
  customers: CustomerDirectory;
  calendar: BusinessCalendar;
  now: () => Date;
  settings: SurveySettings;
  logger: Logger;
}
