import { invalidArgument } from '@aftercare/kit/domain';
import {
  type AddressInput,
  type ContactInput,
  type CustomerDetails,
  parseAddresses,
  parseContacts,
  parseGrade,
  parseStatus,
  parseTags,
} from './customer';
import { optionalText, requiredText } from './values';

export interface CustomerChangeInput {
  name?: string | null;
  grade?: string | null;
  status?: string | null;
  tags?: string[] | null;
  contacts?: ContactInput[] | null;
  addresses?: AddressInput[] | null;
  /** `''` clears the responsible person; `undefined`/`null` leaves it. */
  responsibleStaffId?: string | null;
  reason?: string | null;
}

export type ChangedField =
  'name' | 'grade' | 'status' | 'tags' | 'contacts' | 'addresses' | 'responsibleStaffId';

/** One line of the change history (R-CU-1: address, phone and responsible person are never overwritten silently). */
export interface CustomerChange {
  field: ChangedField;
  oldValue: unknown;
  newValue: unknown;
}

export interface CustomerUpdate {
  details: CustomerDetails;
  changes: CustomerChange[];
  reason: string | null;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Applies a partial change and lists what really changed; a no-op change lists nothing. */
export function changeCustomer(
  current: CustomerDetails,
  input: CustomerChangeInput,
): CustomerUpdate {
  const next: CustomerDetails = { ...current };
  if (input.name !== undefined && input.name !== null)
    next.name = requiredText(input.name, 'name', 200);
  if (input.grade) next.grade = parseGrade(input.grade);
  if (input.status) next.status = parseStatus(input.status);
  if (input.tags) next.tags = parseTags(input.tags);
  if (input.contacts) next.contacts = parseContacts(input.contacts);
  if (input.addresses) next.addresses = parseAddresses(input.addresses);
  if (input.responsibleStaffId !== undefined && input.responsibleStaffId !== null) {
    next.responsibleStaffId = optionalText(input.responsibleStaffId, 'responsibleStaffId', 100);
  }
  const fields: ChangedField[] = [
    'name',
    'grade',
    'status',
    'tags',
    'contacts',
    'addresses',
    'responsibleStaffId',
  ];
  const changes = fields
    .filter((f) => !same(current[f], next[f]))
    .map((f) => ({ field: f, oldValue: current[f], newValue: next[f] }));
  const reason = optionalText(input.reason, 'reason', 500);
  const sensitive = changes.some(
    (c) => c.field === 'contacts' || c.field === 'addresses' || c.field === 'responsibleStaffId',
  );
  if (sensitive && !reason) {
    throw invalidArgument(
      'a change of contacts, addresses or responsible person needs a reason for the history',
      'reason',
      'REASON_REQUIRED',
    );
  }
  return { details: next, changes, reason };
}
