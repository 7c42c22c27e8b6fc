import type { BusinessCalendar } from '@aftercare/calendar';
import {
  type EventPublisher,
  type Identity,
  isAppError,
  type Logger,
  type Orm,
} from '@aftercare/kit';
import type { AssetDates, FollowUpPlanSettings, ReminderSettings } from '../domain';

/** How the survey service acts on its own behalf (the reminder scheduler) towards other services. */
export const SURVEY_SERVICE_IDENTITY: Identity = { userId: 'survey-service', roles: ['service'] };

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
