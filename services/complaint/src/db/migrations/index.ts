import type { MigrationObject } from '@mikro-orm/core';
import { ComplaintsMigration } from './0001-complaints';
import { ComplaintPolicyMigration } from './0002-complaint-policy';
import { KpiScopeMigration } from './0003-kpi-scope';
import { MonthlyReportMigration } from './0004-monthly-report';
import { MajorSinceMigration } from './0005-major-since';
import { StationScopeMigration } from './0006-station-scope';

export const complaintMigrations: MigrationObject[] = [
  { name: '0001_complaints', class: ComplaintsMigration },
  { name: '0002_complaint_policy', class: ComplaintPolicyMigration },
  { name: '0003_kpi_scope', class: KpiScopeMigration },
  { name: '0004_monthly_report', class: MonthlyReportMigration },
  { name: '0005_major_since', class: MajorSinceMigration },
  { name: '0006_station_scope', class: StationScopeMigration },
];
