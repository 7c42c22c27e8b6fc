export { surveyService, surveySpec, startSurveyService } from './service';
export { loadSurveyConfig, type SurveyConfig } from './config';
export type { SurveyDeps } from './app/deps';
/** One round of the reminder scheduler (R-SV-3): operations and tests run it at a chosen date. */
export { scanReminders } from './app/reminders';
export { addDays } from './domain';
