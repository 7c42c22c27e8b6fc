export { surveySpec, startSurveyService } from './service';
export { loadSurveyConfig, type SurveyConfig } from './config';
export type { SurveyDeps } from './app/deps';
