import type { MigrationObject } from '@mikro-orm/core';
import { StockLedgerMigration } from './0001-stock-ledger';
import { RequisitionsMigration } from './0002-requisitions';
import { OldPartsMigration } from './0003-old-parts';
import { ToolsMigration } from './0004-tools';
import { ClaimsAccuracyToolCountMigration } from './0005-claims-accuracy-tool-count';

export const inventoryMigrations: MigrationObject[] = [
  { name: '0001_stock_ledger', class: StockLedgerMigration },
  { name: '0002_requisitions', class: RequisitionsMigration },
  { name: '0003_old_parts', class: OldPartsMigration },
  { name: '0004_tools', class: ToolsMigration },
  { name: '0005_claims_accuracy_tool_count', class: ClaimsAccuracyToolCountMigration },
];
