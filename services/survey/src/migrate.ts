import { runMigrateCommand } from '@aftercare/kit';
import { loadSurveyConfig } from './config';
import { surveyEntities } from './db/entities';
import { surveyMigrations } from './db/migrations';

/** `npm run migrate -w @aftercare/survey-service`: the migration Job of a deployment. */
runMigrateCommand(() => ({
  config: loadSurveyConfig(),
  entities: surveyEntities,
  migrations: surveyMigrations,
}));
