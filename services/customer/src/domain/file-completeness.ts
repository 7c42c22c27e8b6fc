import type { ArchiveDocumentKind } from './archive';
import type { Address, Contact } from './customer';

/**
 * R-CU-6 (客户档案建立): a new customer's file is complete within 2 days of their first visit or
 * repair. "Complete" is what R-CU-1…R-CU-3 ask a customer file to hold: a reachable contact, an
 * address with its full region, the staff member responsible, one asset file (一车一档) and the
 * customer's ID copy in the archive.
 */
export const FILE_ITEMS = ['CONTACT', 'ADDRESS', 'RESPONSIBLE_STAFF', 'ASSET', 'ID_COPY'] as const;
export type FileItem = (typeof FILE_ITEMS)[number];

/** The archive document a complete file holds (R-CU-3's ID copy of the customer). */
const ID_DOCUMENT: ArchiveDocumentKind = 'ID_COPY';

export interface CustomerFileFacts {
  contacts: readonly Pick<Contact, 'mobile' | 'phone'>[];
  addresses: readonly Pick<Address, 'region'>[];
  responsibleStaffId: string | null;
  assetCount: number;
  documentKinds: readonly string[];
}

/** R-CU-6: the items a customer file still lacks, in FILE_ITEMS order; empty when complete. */
export function missingFileItems(file: CustomerFileFacts): FileItem[] {
  const present: Record<FileItem, boolean> = {
    CONTACT: file.contacts.some((c) => Boolean(c.mobile || c.phone)),
    ADDRESS: file.addresses.some((a) =>
      Boolean(a.region.province && a.region.city && a.region.district),
    ),
    RESPONSIBLE_STAFF: Boolean(file.responsibleStaffId),
    ASSET: file.assetCount > 0,
    ID_COPY: file.documentKinds.includes(ID_DOCUMENT),
  };
  return FILE_ITEMS.filter((item) => !present[item]);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Calendar days, as R-CU-6 says "2 days" where other rules say working days. */
export const fileDueAt = (firstVisitAt: Date, days: number): Date =>
  new Date(firstVisitAt.getTime() + days * DAY_MS);

export interface FileCheckState {
  /** Null until the first visit or repair starts the clock. */
  dueAt: Date | null;
  completedAt: Date | null;
  reportedAt: Date | null;
}

export type FileCompletenessStatus = 'COMPLETE' | 'OPEN' | 'LATE';

const isPast = (dueAt: Date | null, now: Date) => dueAt !== null && now.getTime() > dueAt.getTime();

/**
 * Complete once the file lacks nothing (a file completed after its deadline stays complete, the
 * report having been made); otherwise late past the deadline or once reported, else open.
 */
export function fileStatus(
  check: FileCheckState,
  missing: readonly FileItem[],
  now: Date,
): FileCompletenessStatus {
  if (check.completedAt || missing.length === 0) return 'COMPLETE';
  return check.reportedAt || isPast(check.dueAt, now) ? 'LATE' : 'OPEN';
}

/** The scan's verdict for one open check: close it, report it (once), or leave it open. */
export function fileVerdict(
  check: FileCheckState,
  missing: readonly FileItem[],
  now: Date,
): 'CLOSE' | 'REPORT' | 'WAIT' {
  if (missing.length === 0) return 'CLOSE';
  return !check.reportedAt && isPast(check.dueAt, now) ? 'REPORT' : 'WAIT';
}
