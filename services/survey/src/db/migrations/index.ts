import type { MigrationObject } from '@mikro-orm/core';
import { SurveysMigration } from './0001-surveys';
import { FollowUpCallIndexMigration } from './0002-follow-up-call-index';

export const surveyMigrations: MigrationObject[] = [
  { name: '0001_surveys', class: SurveysMigration },
  { name: '0002_follow_up_call_index', class: FollowUpCallIndexMigration },
];
