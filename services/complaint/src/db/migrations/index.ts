import type { MigrationObject } from '@mikro-orm/core';
import { ComplaintsMigration } from './0001-complaints';

export const complaintMigrations: MigrationObject[] = [
  { name: '0001_complaints', class: ComplaintsMigration },
];
