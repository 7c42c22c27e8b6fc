import type { MigrationObject } from '@mikro-orm/core';
import { SurveysMigration } from './0001-surveys';
import { SecondCallWaitsMigration } from './0002-second-call-waits';
import { MaintenanceCycleMigration } from './0003-maintenance-cycle';
import { FollowUpCallIndexMigration } from './0004-follow-up-call-index';
import { StationScopeMigration } from './0005-station-scope';
import { ContactLogByEventMigration } from './0006-contact-log-by-event';
import { AssetFileVersionMigration } from './0007-asset-file-version';

export const surveyMigrations: MigrationObject[] = [
  { name: '0001_surveys', class: SurveysMigration },
  { name: '0002_second_call_waits', class: SecondCallWaitsMigration },
  { name: '0003_maintenance_cycle', class: MaintenanceCycleMigration },
  { name: '0004_follow_up_call_index', class: FollowUpCallIndexMigration },
  { name: '0005_station_scope', class: StationScopeMigration },
  { name: '0006_contact_log_by_event', class: ContactLogByEventMigration },
  { name: '0007_asset_file_version', class: AssetFileVersionMigration },
];
