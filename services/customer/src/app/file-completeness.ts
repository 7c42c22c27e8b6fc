import { LockMode } from '@mikro-orm/core';
import { type CustomerFileLate, events, type WorkOrderRegistered } from '@aftercare/events';
import {
  checkUuid,
  type EntityManager,
  eventMessage,
  type Identity,
  keysetPage,
  type Logger,
  type Page,
  type PageRequest,
  requireRole,
  uuidv7,
} from '@aftercare/kit';
import {
  ArchiveDocumentRecord,
  AssetRecord,
  CustomerFileCheckRecord,
  CustomerRecord,
} from '../db/entities';
import {
  type FileCompletenessStatus,
  fileDueAt,
  type FileItem,
  fileStatus,
  fileVerdict,
  missingFileItems,
} from '../domain/file-completeness';
import { CAN_READ_ARCHIVE } from './access';
import { type CustomerDeps } from './deps';

/** R-CU-6: a new customer's file is opened with the customer; no clock runs before a visit. */
export function openFileCheck(em: EntityManager, customerId: string, now: Date): void {
  em.create(CustomerFileCheckRecord, {
    id: uuidv7(),
    customerId,
    missingItems: [],
    createdAt: now,
  });
}

/** A customer's file check as the first visit needs it. */
export interface FileCheckState {
  id: string;
  clockStarted: boolean;
}

/**
 * R-CU-6: the first work order registered for a new customer — the visit, call or walk-in that
 * starts their first repair — starts the clock of their file's `check`. Later orders, redelivered
 * events and customers registered before the rule (no check) change nothing; of two first orders
 * at once, the one whose update comes first starts it (the statement asks for a clock not started).
 */
export async function startFileClock(
  deps: CustomerDeps,
  logger: Logger,
  em: EntityManager,
  e: WorkOrderRegistered,
  check: FileCheckState | null,
): Promise<void> {
  if (e.serviceType === 'INTERNAL' || !check || check.clockStarted) return;
  const firstVisitAt = new Date(e.calledAt);
  const dueAt = fileDueAt(firstVisitAt, deps.fileCompletenessDays);
  await em.nativeUpdate(
    CustomerFileCheckRecord,
    { id: check.id, firstVisitAt: null },
    { workOrderId: e.workOrderId, firstVisitAt, dueAt, registeredBy: e.registeredBy },
  );
  logger.debug({ customerId: e.customerId, dueAt }, 'customer file clock started');
}

interface FileNow {
  missing: FileItem[];
  responsibleStaffId: string | null;
}

/** What each customer's file lacks now (R-CU-6) and who answers for it, by customer id. */
async function filesNow(
  em: EntityManager,
  customerIds: readonly string[],
): Promise<Map<string, FileNow>> {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return new Map();
  // One after the other: inside the scan's transaction they share one connection.
  const customers = await em.find(CustomerRecord, { id: { $in: ids } });
  const assets = await em.find(
    AssetRecord,
    { customerId: { $in: ids } },
    { fields: ['id', 'customerId'] },
  );
  const documents = await em.find(
    ArchiveDocumentRecord,
    { customerId: { $in: ids } },
    { fields: ['id', 'customerId', 'kind'] },
  );
  return new Map(
    customers.map((c) => [
      c.id,
      {
        missing: missingFileItems({
          contacts: c.contacts,
          addresses: c.addresses,
          responsibleStaffId: c.responsibleStaffId,
          assetCount: assets.filter((a) => a.customerId === c.id).length,
          documentKinds: documents.filter((d) => d.customerId === c.id).map((d) => d.kind),
        }),
        responsibleStaffId: c.responsibleStaffId,
      },
    ]),
  );
}

const lateFile = (
  check: CustomerFileCheckRecord,
  responsibleStaffId: string | null,
  now: Date,
): CustomerFileLate => ({
  customerId: check.customerId,
  workOrderId: check.workOrderId!,
  responsibleStaffId,
  firstVisitAt: check.firstVisitAt!.toISOString(),
  dueAt: check.dueAt!.toISOString(),
  missingItems: check.missingItems,
  detectedAt: now.toISOString(),
});

/**
 * R-CU-6: files whose clock runs are closed once complete; a file still incomplete past its
 * deadline is reported once, with what it lacks, on the customer's responsible advisor (else the
 * agent who registered the first visit). Rows are claimed with SKIP LOCKED and marked in the
 * event's transaction, so replicas never report twice.
 */
export async function scanCustomerFiles(deps: CustomerDeps): Promise<number> {
  const now = deps.now();
  return deps.orm.em.fork().transactional(async (em) => {
    const open = await em.find(
      CustomerFileCheckRecord,
      { completedAt: null, dueAt: { $ne: null } },
      { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE, orderBy: { dueAt: 'asc' }, limit: 500 },
    );
    const files = await filesNow(
      em,
      open.map((c) => c.customerId),
    );
    let reported = 0;
    for (const check of open) {
      const file = files.get(check.customerId);
      if (!file) continue;
      const verdict = fileVerdict(check, file.missing, now);
      if (verdict === 'CLOSE') check.completedAt = now;
      if (verdict !== 'REPORT') continue;
      Object.assign(check, { reportedAt: now, missingItems: file.missing });
      const advisor = file.responsibleStaffId ?? check.registeredBy;
      deps.events.publishMessage(
        em,
        check.customerId,
        eventMessage(events.customer.fileLate, lateFile(check, advisor, now)),
      );
      reported += 1;
    }
    return reported;
  });
}

/** R-CU-6 how complete a customer's file is, as the graph shows it. */
export interface FileCompleteness {
  customerId: string;
  status: FileCompletenessStatus;
  missingItems: FileItem[];
  firstVisitAt: Date | null;
  dueAt: Date | null;
  late: boolean;
  completedAt: Date | null;
  reportedAt: Date | null;
}

async function viewsOf(
  em: EntityManager,
  checks: readonly CustomerFileCheckRecord[],
  now: Date,
): Promise<FileCompleteness[]> {
  const files = await filesNow(
    em,
    checks.map((c) => c.customerId),
  );
  return checks.map((check) => {
    // Once closed, the file stays complete: R-CU-6 is about opening it, not keeping it so.
    const lacking = check.completedAt ? [] : (files.get(check.customerId)?.missing ?? []);
    const status = fileStatus(check, lacking, now);
    return {
      customerId: check.customerId,
      status,
      missingItems: lacking,
      firstVisitAt: check.firstVisitAt,
      dueAt: check.dueAt,
      late: status === 'LATE' || check.reportedAt !== null,
      completedAt: check.completedAt,
      reportedAt: check.reportedAt,
    };
  });
}

/** A customer's file completeness (R-CU-6); null for a customer registered before the rule. */
export async function fileCompletenessOf(
  deps: CustomerDeps,
  em: EntityManager,
  caller: Identity | null,
  customerId: string,
): Promise<FileCompleteness | null> {
  requireRole(caller, ...CAN_READ_ARCHIVE);
  const check = await em.findOne(CustomerFileCheckRecord, {
    customerId: checkUuid(customerId, 'customerId'),
  });
  return check ? ((await viewsOf(em, [check], deps.now()))[0] ?? null) : null;
}

export interface IncompleteFilesRequest extends PageRequest {
  /** Only files past their deadline. */
  lateOnly?: boolean | null;
}

/**
 * R-CU-6 the archive desk's worklist: files whose clock runs and that are not complete yet (or
 * only the late ones), newest first, keyset-paged. A file completed since the last scan shows with
 * nothing missing until the scan closes it.
 */
export async function incompleteFiles(
  deps: CustomerDeps,
  em: EntityManager,
  caller: Identity | null,
  request: IncompleteFilesRequest,
): Promise<Page<FileCompleteness>> {
  requireRole(caller, ...CAN_READ_ARCHIVE);
  const now = deps.now();
  const filter = request.lateOnly
    ? { completedAt: null, $or: [{ reportedAt: { $ne: null } }, { dueAt: { $lt: now } }] }
    : { completedAt: null, dueAt: { $ne: null } };
  const page = await keysetPage(em, CustomerFileCheckRecord, filter, request);
  const views = await viewsOf(em, page.items, now);
  return { ...page, items: views };
}
