import type { MigrationObject } from '@mikro-orm/core';
import { SurveysMigration } from './0001-surveys';

export const surveyMigrations: MigrationObject[] = [
  { name: '0001_surveys', class: SurveysMigration },
];
