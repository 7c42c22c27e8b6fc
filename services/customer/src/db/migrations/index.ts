import type { MigrationObject } from '@mikro-orm/core';
import { CustomerArchiveMigration } from './0001-customer-archive';
import { ArchiveHandoverMigration } from './0002-archive-handover';
import { AssetLifecycleMigration } from './0003-asset-lifecycle';
import { FileCompletenessMigration } from './0004-file-completeness';
import { ArchiveReadLogMigration } from './0005-archive-read-log';
import { ArchiveLoansMigration } from './0006-archive-loans';
import { ArchiveRetentionMigration } from './0007-archive-retention';

export const customerMigrations: MigrationObject[] = [
  { name: '0001_customer_archive', class: CustomerArchiveMigration },
  { name: '0002_archive_handover', class: ArchiveHandoverMigration },
  { name: '0003_asset_lifecycle', class: AssetLifecycleMigration },
  { name: '0004_file_completeness', class: FileCompletenessMigration },
  { name: '0005_archive_read_log', class: ArchiveReadLogMigration },
  { name: '0006_archive_loans', class: ArchiveLoansMigration },
  { name: '0007_archive_retention', class: ArchiveRetentionMigration },
];
