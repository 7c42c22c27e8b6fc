import { events, type WorkOrderRegistered } from '@aftercare/events';
import {
  type EntityManager,
  type Identity,
  type Logger,
  type Page,
  type PageRequest,
  keysetPage,
  requireRole,
  uuidv7,
  checkUuid,
  createOnce,
  executePrepared,
  insertPending,
  notFound,
} from '@aftercare/kit';
import {
  type ContactLogDetails,
  type ContactLogInput,
  newContactLogEntry,
} from '../domain/contact-log';
import { type ContactFromEvent, repairRequestContact } from '../domain/contact-sources';
import type { FileStatus } from '../domain/customer';
import { ContactLogRecord } from '../db/entities';
import { CAN_LOG_CONTACT, CAN_READ } from './access';
import { type CustomerDeps } from './deps';
import { appliesToFile, liveCustomer } from './customers';
import { type FileCheckState, startFileClock } from './file-completeness';
import { keyedCreate } from './once';

/**
 * R-CU-5: logs a call or letter against the customer. With an idempotency key a retried call
 * returns the entry logged the first time.
 */
export async function logContact(
  deps: CustomerDeps,
  caller: Identity | null,
  input: ContactLogInput & { customerId: string; idempotencyKey?: string | null },
): Promise<ContactLogRecord> {
  const me = requireRole(caller, ...CAN_LOG_CONTACT);
  const customerId = checkUuid(input.customerId, 'customerId');
  const details = newContactLogEntry(input, me.userId, deps.now());
  const once = keyedCreate('customer.logContact', me, input, ContactLogRecord);
  return createOnce(deps.orm, once, (em) => appendContactLog(em, deps, customerId, details));
}

/** A live file a contact from an event is to be logged on, with its R-CU-6 check if it has one. */
interface FileForContact {
  check: FileCheckState | null;
}

/**
 * The file a contact from an event goes to, with its R-CU-6 check, read with one statement (ADR
 * 0034); null when the contact is not logged: its entry is there already, or the file is
 * destroyed (R-CU-4, asked before anything is written: a refused insert would abort the
 * consumer's transaction). An unknown customer is a producer bug: it fails, and the event is
 * given up with an error after the retries.
 */
async function fileForContact(
  em: EntityManager,
  logger: Logger,
  { customerId, entryId, entry }: ContactFromEvent,
): Promise<FileForContact | null> {
  const [file] = await executePrepared<{
    status: FileStatus;
    logged: boolean;
    check_id: string | null;
    clock_started: boolean;
  }>(
    em,
    `select c.status, exists (select 1 from contact_log where id = ?) as logged,
            fc.id as check_id, fc.first_visit_at is not null as clock_started
       from customer c left join customer_file_check fc on fc.customer_id = c.id
      where c.id = ?`,
    [entryId ?? null, customerId],
  );
  if (!file) throw notFound('Customer', customerId);
  if (file.logged) return null;
  if (!appliesToFile(logger, file.status, { customerId, reference: entry.reference })) return null;
  return { check: file.check_id ? { id: file.check_id, clockStarted: file.clock_started } : null };
}

/** The entry of a contact from an event, on a file known to be live. */
async function logOnFile(
  deps: CustomerDeps,
  em: EntityManager,
  { customerId, entryId, entry }: ContactFromEvent,
): Promise<void> {
  // A fact from another service: only our own clock's skew could put it "in the future".
  const now = new Date(Math.max(deps.now().getTime(), entry.occurredAt.getTime()));
  const details = newContactLogEntry(entry, entry.staffId ?? 'system', now);
  await insertContactLog(em, deps, customerId, details, entryId);
}

/**
 * R-CU-5: a contact taken down by another service becomes one contact-log entry, in the
 * consumer's inbox transaction (so a redelivered event logs nothing; one naming its entry logs it
 * once under any event id). One about a destroyed file (R-CU-4) is skipped: the file is gone,
 * nothing is logged against it.
 */
export async function logContactFromEvent(
  deps: CustomerDeps,
  logger: Logger,
  em: EntityManager,
  contact: ContactFromEvent | null,
): Promise<void> {
  if (!contact) return;
  if (await fileForContact(em, logger, contact)) await logOnFile(deps, em, contact);
}

/**
 * R-CU-5 a registered work order's repair request in the contact log and R-CU-6 a new customer's
 * first visit starting their file's clock: one read of the file, one write of the entry with its
 * event (ADR 0034). A destroyed file (R-CU-4) takes neither.
 */
export async function logRepairRequest(
  deps: CustomerDeps,
  logger: Logger,
  em: EntityManager,
  e: WorkOrderRegistered,
): Promise<void> {
  const contact = repairRequestContact(e);
  if (!contact) return;
  const file = await fileForContact(em, logger, contact);
  if (!file) return;
  await logOnFile(deps, em, contact);
  await startFileClock(deps, logger, em, e, file.check);
}

/** Appends an entry in `em`'s transaction, with its `customer.contact_logged` event. */
export async function appendContactLog(
  em: EntityManager,
  deps: CustomerDeps,
  customerId: string,
  details: ContactLogDetails,
): Promise<ContactLogRecord> {
  await liveCustomer(em, customerId);
  return insertContactLog(em, deps, customerId, details);
}

/**
 * The entry and its event, for a customer whose file is known to be live: one statement for both
 * rows (`insertPending`), no unit of work (the entry is returned unmanaged).
 */
async function insertContactLog(
  em: EntityManager,
  deps: CustomerDeps,
  customerId: string,
  details: ContactLogDetails,
  id = uuidv7(),
): Promise<ContactLogRecord> {
  const entry = em.create(ContactLogRecord, { id, customerId, ...details, createdAt: deps.now() });
  deps.events.publish(em, events.customer.contactLogged, entry.id, {
    entryId: entry.id,
    customerId,
    channel: entry.channel,
    direction: entry.direction,
    purpose: entry.purpose,
    staffId: entry.staffId,
    occurredAt: entry.occurredAt.toISOString(),
    reference: entry.reference,
  });
  await insertPending(em);
  return entry;
}

export async function contactLogOf(
  em: EntityManager,
  caller: Identity | null,
  customerId: string,
  page: PageRequest,
): Promise<Page<ContactLogRecord>> {
  requireRole(caller, ...CAN_READ);
  return keysetPage(
    em,
    ContactLogRecord,
    { customerId: checkUuid(customerId, 'customerId') },
    page,
  );
}
