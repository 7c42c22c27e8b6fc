import { events } from '@aftercare/events';
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
} from '@aftercare/kit';
import {
  type ContactLogDetails,
  type ContactLogInput,
  newContactLogEntry,
} from '../domain/contact-log';
import type { ContactFromEvent } from '../domain/contact-sources';
import { ContactLogRecord } from '../db/entities';
import { CAN_LOG_CONTACT, CAN_READ } from './access';
import { type CustomerDeps } from './deps';
import { appliesToFile, customerFile, liveCustomer } from './customers';
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

/**
 * R-CU-5: a contact taken down by another service becomes one contact-log entry, in the
 * consumer's inbox transaction (so a redelivered event logs nothing). An event about a customer
 * we do not know is a producer bug: it fails and is given up with an error after the retries. One
 * about a destroyed file (R-CU-4) is skipped: the file is gone, nothing is logged against it.
 */
export async function logContactFromEvent(
  deps: CustomerDeps,
  logger: Logger,
  em: EntityManager,
  contact: ContactFromEvent | null,
): Promise<void> {
  if (!contact) return;
  const { customerId, entryId, entry } = contact;
  if (entryId && (await em.count(ContactLogRecord, { id: entryId }))) return;
  const file = await customerFile(em, customerId);
  if (!appliesToFile(logger, file.status, { customerId, reference: entry.reference })) return;
  // A fact from another service: only our own clock's skew could put it "in the future".
  const now = new Date(Math.max(deps.now().getTime(), entry.occurredAt.getTime()));
  const details = newContactLogEntry(entry, entry.staffId ?? 'system', now);
  await insertContactLog(em, deps, customerId, details, entryId);
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

/** The entry and its event, for a customer whose file is known to be live. */
async function insertContactLog(
  em: EntityManager,
  deps: CustomerDeps,
  customerId: string,
  details: ContactLogDetails,
  id = uuidv7(),
): Promise<ContactLogRecord> {
  const entry = em.create(ContactLogRecord, {
    id,
    customerId,
    ...details,
    createdAt: deps.now(),
  });
  await em.flush();
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
