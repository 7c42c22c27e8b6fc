import {
  type EntityManager,
  type Identity,
  type Page,
  type PageRequest,
  invalidArgument,
  keysetPage,
  requireRole,
  uuidv7,
} from '@aftercare/kit';
import type { FilterQuery } from '@mikro-orm/core';
import { ArchiveReadRecord } from '../db/entities';
import {
  EXPORT_MAX_ROWS,
  type ReadLogFilter,
  type ReadLogFilterInput,
  checkPurpose,
  csvLine,
  exportFilter,
  purposeOfOperation,
  readLogFilter,
} from '../domain/read-log';
import { CAN_AUDIT_READS } from './access';
import type { CustomerDeps } from './deps';

/** A row of `archive_read_log` as the batched INSERT writes it (column names). */
export interface ReadLogRow {
  id: string;
  read_at: Date;
  reader_id: string;
  reader_roles: string[];
  caller_service: string | null;
  channel: 'graphql' | 'grpc';
  operation: string;
  purpose: string;
  customer_id: string | null;
  asset_id: string | null;
}

/** What was read: a customer's file, or an asset's (with its owner, so it shows under both). */
export interface FileRead {
  customerId: string | null;
  assetId: string | null;
}
export const customerFile = (c: { id: string }): FileRead => ({ customerId: c.id, assetId: null });
export const assetFile = (a: { id: string; customerId: string }): FileRead => ({
  customerId: a.customerId,
  assetId: a.id,
});

/** Who read, through what, and why. */
export interface Reader {
  identity: Identity;
  channel: 'graphql' | 'grpc';
  callerService: string | null;
  purpose: string;
}

/**
 * R-CU-4: buffers one log row per file read. Called after the lookup and before the answer leaves:
 * when the log cannot take more rows (its writes failing), the read is refused, not left unlogged.
 */
export function recordReads(
  deps: Pick<CustomerDeps, 'readLog' | 'now'>,
  reader: Reader,
  operation: string,
  files: readonly FileRead[],
): void {
  if (!files.length) return;
  const readAt = deps.now();
  deps.readLog.add(
    files.map((file) => ({
      id: uuidv7(),
      read_at: readAt,
      reader_id: reader.identity.userId,
      reader_roles: reader.identity.roles,
      caller_service: reader.callerService,
      channel: reader.channel,
      operation,
      purpose: reader.purpose,
      customer_id: file.customerId,
      asset_id: file.assetId,
    })),
  );
}

/** The reads of one GraphQL request: each file once per field it is read through. */
export interface GraphReads {
  /** A root field's `purpose` argument: checked, it holds for the request's reads from then on. */
  purpose(raw: string | null | undefined): void;
  /** Logs `files` as read through `field` (e.g. `Customer.contactLog`) by operation `operation`. */
  record(field: string, operation: string | undefined, files: readonly FileRead[]): void;
}

export function graphReads(
  deps: Pick<CustomerDeps, 'readLog' | 'now'>,
  identity: Identity | null,
): GraphReads {
  const seen = new Set<string>();
  let given: string | undefined;
  return {
    purpose(raw) {
      if (raw != null) given = checkPurpose(raw);
    },
    record(field, operation, files) {
      if (!identity) return;
      const fresh = files.filter((f) => {
        const key = `${field}|${f.customerId}|${f.assetId}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      const purpose = given ?? purposeOfOperation('graphql', operation);
      recordReads(
        deps,
        { identity, channel: 'graphql', callerService: null, purpose },
        field,
        fresh,
      );
    },
  };
}

function whereOf(f: ReadLogFilter): FilterQuery<ArchiveReadRecord> {
  const where: FilterQuery<ArchiveReadRecord>[] = [];
  if (f.customerId) where.push({ customerId: f.customerId });
  if (f.assetId) where.push({ assetId: f.assetId });
  if (f.staffId) where.push({ readerId: f.staffId });
  if (f.from) where.push({ readAt: { $gte: f.from } });
  if (f.to) where.push({ readAt: { $lt: f.to } });
  return where.length ? { $and: where } : {};
}

/** R-CU-4 the auditors' view of the read log, newest first, keyset-paged. */
export async function archiveReads(
  em: EntityManager,
  caller: Identity | null,
  filter: ReadLogFilterInput,
  page: PageRequest,
): Promise<Page<ArchiveReadRecord>> {
  requireRole(caller, ...CAN_AUDIT_READS);
  return keysetPage(em, ArchiveReadRecord, whereOf(readLogFilter(filter)), page);
}

export interface ReadLogExport {
  csv: string;
  rows: number;
  from: Date;
  to: Date;
}

const CSV_HEADER = [
  'read_at',
  'reader_id',
  'reader_roles',
  'caller_service',
  'channel',
  'operation',
  'purpose',
  'customer_id',
  'asset_id',
];

/** R-CU-4 the read log of a bounded period as CSV, oldest first, for an auditor's files. */
export async function exportArchiveReads(
  em: EntityManager,
  caller: Identity | null,
  input: ReadLogFilterInput,
): Promise<ReadLogExport> {
  requireRole(caller, ...CAN_AUDIT_READS);
  const filter = exportFilter(input);
  const rows = await em.find(ArchiveReadRecord, whereOf(filter), {
    orderBy: { id: 'asc' },
    limit: EXPORT_MAX_ROWS + 1,
  });
  if (rows.length > EXPORT_MAX_ROWS)
    throw invalidArgument(
      `more than ${EXPORT_MAX_ROWS} reads in the period; export a shorter one or filter`,
      'filter.to',
      'EXPORT_TOO_LARGE',
    );
  const lines = rows.map((r) =>
    csvLine([
      r.readAt.toISOString(),
      r.readerId,
      r.readerRoles.join(' '),
      r.callerService,
      r.channel,
      r.operation,
      r.purpose,
      r.customerId,
      r.assetId,
    ]),
  );
  return {
    csv: csvLine(CSV_HEADER) + lines.join(''),
    rows: rows.length,
    from: filter.from,
    to: filter.to,
  };
}
