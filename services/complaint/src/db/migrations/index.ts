import type { MigrationObject } from '@mikro-orm/core';
import { ComplaintsMigration } from './0001-complaints';
import { ComplaintPolicyMigration } from './0002-complaint-policy';

export const complaintMigrations: MigrationObject[] = [
  { name: '0001_complaints', class: ComplaintsMigration },
  { name: '0002_complaint_policy', class: ComplaintPolicyMigration },
];
