import type { MigrationObject } from '@mikro-orm/core';
import { CustomerArchiveMigration } from './0001-customer-archive';

export const customerMigrations: MigrationObject[] = [
  { name: '0001_customer_archive', class: CustomerArchiveMigration },
];
