import type { MigrationObject } from '@mikro-orm/core';
import { WorkOrdersMigration } from './0001-work-orders';
import { ServiceStationMigration } from './0002-service-station';
import { SlaPolicyVersionsMigration } from './0003-sla-policy-versions';
import { PeopleMigration } from './0004-people';
import { CertificateRemindersMigration } from './0005-certificate-reminders';

export const workOrderMigrations: MigrationObject[] = [
  { name: '0001_work_orders', class: WorkOrdersMigration },
  { name: '0002_service_station', class: ServiceStationMigration },
  { name: '0003_sla_policy_versions', class: SlaPolicyVersionsMigration },
  { name: '0004_people', class: PeopleMigration },
  { name: '0005_certificate_reminders', class: CertificateRemindersMigration },
];
