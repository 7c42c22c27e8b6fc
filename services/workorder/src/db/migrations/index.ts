import type { MigrationObject } from '@mikro-orm/core';
import { WorkOrdersMigration } from './0001-work-orders';

export const workOrderMigrations: MigrationObject[] = [
  { name: '0001_work_orders', class: WorkOrdersMigration },
];
