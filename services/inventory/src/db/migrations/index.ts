import type { MigrationObject } from '@mikro-orm/core';
import { StockLedgerMigration } from './0001-stock-ledger';

export const inventoryMigrations: MigrationObject[] = [
  { name: '0001_stock_ledger', class: StockLedgerMigration },
];
