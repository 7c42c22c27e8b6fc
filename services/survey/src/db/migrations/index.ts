import type { MigrationObject } from '@mikro-orm/core';
import { SurveysMigration } from './0001-surveys';
import { SecondCallWaitsMigration } from './0002-second-call-waits';

export const surveyMigrations: MigrationObject[] = [
  { name: '0001_surveys', class: SurveysMigration },
  { name: '0002_second_call_waits', class: SecondCallWaitsMigration },
];
