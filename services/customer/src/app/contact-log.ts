import {
  type EntityManager,
  type Identity,
  type Page,
  type PageRequest,
  keysetPage,
  notFound,
  requireRole,
  uuidv7,
  checkUuid,
} from '@aftercare/kit';
import {
  type ContactLogDetails,
  type ContactLogInput,
  newContactLogEntry,
} from '../domain/contact-log';
import { optionalText } from '../domain/values';
import { ContactLogRecord, CustomerRecord } from '../db/entities';
import { CAN_LOG_CONTACT, CAN_READ } from './access';
import { CUSTOMER_EVENTS, type CustomerDeps } from './deps';

/**
 * R-CU-5: logs a call or letter against the customer. With an idempotency key a retried call
 * (gRPC from the survey service, say) returns the entry logged the first time.
 */
export async function logContact(
  deps: CustomerDeps,
  caller: Identity | null,
  input: ContactLogInput & { customerId: string; idempotencyKey?: string | null },
): Promise<ContactLogRecord> {
  const me = requireRole(caller, ...CAN_LOG_CONTACT);
  const customerId = checkUuid(input.customerId, 'customerId');
  const details = newContactLogEntry(input, me.userId, deps.now());
  const idempotencyKey = optionalText(input.idempotencyKey, 'idempotencyKey', 200);
  return deps.orm.em
    .fork()
    .transactional((em) => appendContactLog(em, deps, customerId, details, idempotencyKey));
}

/**
 * Appends an entry in `em`'s transaction, with its `customer.contact_logged` event; an entry with
 * the same idempotency key is returned instead of a second one.
 */
export async function appendContactLog(
  em: EntityManager,
  deps: CustomerDeps,
  customerId: string,
  details: ContactLogDetails,
  idempotencyKey: string | null,
): Promise<ContactLogRecord> {
  if (idempotencyKey) {
    const earlier = await em.findOne(ContactLogRecord, { idempotencyKey });
    if (earlier) return earlier;
  }
  const customer = await em.findOne(CustomerRecord, { id: customerId }, { fields: ['id'] });
  if (!customer) throw notFound('Customer', customerId);
  const entry = em.create(ContactLogRecord, {
    id: uuidv7(),
    customerId,
    ...details,
    idempotencyKey,
    createdAt: deps.now(),
  });
  await em.flush();
  deps.events.add(em, {
    type: CUSTOMER_EVENTS.contactLogged,
    aggregateId: entry.id,
    data: {
      entryId: entry.id,
      customerId,
      channel: entry.channel,
      direction: entry.direction,
      purpose: entry.purpose,
      staffId: entry.staffId,
      occurredAt: entry.occurredAt.toISOString(),
      reference: entry.reference,
    },
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
