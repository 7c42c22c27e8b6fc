import { invalidArgument, oneOf } from '@aftercare/kit/domain';
import {
  normaliseEmail,
  normaliseLandline,
  normaliseMobile,
  optionalText,
  requiredText,
} from './values';

export const CUSTOMER_KINDS = ['PERSON', 'ORGANISATION', 'DEALER', 'AGENT'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];
/** A and B are key accounts (R-CU-1), graded yearly. */
export const CUSTOMER_GRADES = ['A', 'B', 'C', 'D'] as const;
export type CustomerGrade = (typeof CUSTOMER_GRADES)[number];
export const CUSTOMER_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];
/** A stored file's status: DESTROYED is only ever reached by an approved destruction (R-CU-4). */
export type FileStatus = CustomerStatus | 'DESTROYED';

export interface Region {
  province: string;
  city: string;
  district: string | null;
}

export interface Contact {
  name: string;
  role: string | null;
  mobile: string | null;
  phone: string | null;
  email: string | null;
  primary: boolean;
}

export interface Address {
  region: Region;
  line: string | null;
  postalCode: string | null;
  primary: boolean;
}

export interface CustomerDetails {
  kind: CustomerKind;
  name: string;
  grade: CustomerGrade;
  status: CustomerStatus;
  tags: string[];
  contacts: Contact[];
  addresses: Address[];
  responsibleStaffId: string | null;
}

export interface ContactInput {
  name?: string | null;
  role?: string | null;
  mobile?: string | null;
  phone?: string | null;
  email?: string | null;
  primary?: boolean | null;
}

export interface AddressInput {
  region?: { province?: string | null; city?: string | null; district?: string | null } | null;
  line?: string | null;
  postalCode?: string | null;
  primary?: boolean | null;
}

export interface NewCustomerInput {
  kind?: string | null;
  name?: string | null;
  grade?: string | null;
  tags?: string[] | null;
  contacts?: ContactInput[] | null;
  addresses?: AddressInput[] | null;
  responsibleStaffId?: string | null;
}

export const parseKind = (raw: string | null | undefined, field = 'kind') =>
  oneOf(CUSTOMER_KINDS, raw, field);
export const parseGrade = (
  raw: string | null | undefined,
  field = 'grade',
  fallback?: CustomerGrade,
) => oneOf(CUSTOMER_GRADES, raw, field, fallback);
export const parseStatus = (raw: string | null | undefined, field = 'status') =>
  oneOf(CUSTOMER_STATUSES, raw, field);

/** Exactly one primary: the flagged one, or the first. */
/** A customer's contacts or addresses: at least one (`missing` says which), at most 20, one primary. */
function oneToTwenty<T extends { primary: boolean }>(
  items: T[],
  field: string,
  missing: string,
): T[] {
  if (items.length === 0) throw invalidArgument(missing, field, 'REQUIRED');
  if (items.length > 20) throw invalidArgument(`at most 20 ${field}`, field, 'TOO_MANY');
  return withOnePrimary(items, field);
}

function withOnePrimary<T extends { primary: boolean }>(items: T[], field: string): T[] {
  const flagged = items.filter((i) => i.primary).length;
  if (flagged > 1)
    throw invalidArgument(`only one of ${field} can be primary`, field, 'SEVERAL_PRIMARY');
  return items.map((item, i) => ({ ...item, primary: flagged === 0 ? i === 0 : item.primary }));
}

export function parseContacts(
  input: ContactInput[] | null | undefined,
  field = 'contacts',
): Contact[] {
  const contacts = (input ?? []).map((c, i): Contact => {
    const at = `${field}.${i}`;
    const contact: Contact = {
      name: requiredText(c.name, `${at}.name`, 100),
      role: optionalText(c.role, `${at}.role`, 100),
      mobile: c.mobile ? normaliseMobile(c.mobile, `${at}.mobile`) : null,
      phone: c.phone ? normaliseLandline(c.phone, `${at}.phone`) : null,
      email: c.email ? normaliseEmail(c.email, `${at}.email`) : null,
      primary: Boolean(c.primary),
    };
    if (!contact.mobile && !contact.phone) {
      throw invalidArgument(
        `${at} needs a mobile or a phone number`,
        `${at}.mobile`,
        'CONTACT_UNREACHABLE',
      );
    }
    return contact;
  });
  return oneToTwenty(contacts, field, 'a customer needs at least one contact with a phone number');
}

export function parseAddresses(
  input: AddressInput[] | null | undefined,
  field = 'addresses',
): Address[] {
  const addresses = (input ?? []).map((a, i): Address => {
    const at = `${field}.${i}`;
    const postalCode = optionalText(a.postalCode, `${at}.postalCode`, 10);
    if (postalCode && !/^\d{6}$/.test(postalCode)) {
      throw invalidArgument(
        `${at}.postalCode must be 6 digits`,
        `${at}.postalCode`,
        'INVALID_POSTAL_CODE',
      );
    }
    return {
      region: {
        province: requiredText(a.region?.province, `${at}.region.province`, 50),
        city: requiredText(a.region?.city, `${at}.region.city`, 50),
        district: optionalText(a.region?.district, `${at}.region.district`, 50),
      },
      line: optionalText(a.line, `${at}.line`, 300),
      postalCode,
      primary: Boolean(a.primary),
    };
  });
  // Customers are registered by region (R-CU-1): without an address there is no region.
  return oneToTwenty(addresses, field, 'a customer needs at least one address with its region');
}

export function parseTags(input: string[] | null | undefined): string[] {
  const tags = [...new Set((input ?? []).map((t) => t.trim()).filter(Boolean))];
  tags.forEach((t, i) => {
    if (t.length > 50)
      throw invalidArgument('a tag is at most 50 characters', `tags.${i}`, 'TOO_LONG');
  });
  return tags;
}

/** R-CU-1: validates and normalises a new customer's details. */
export function newCustomer(input: NewCustomerInput): CustomerDetails {
  return {
    kind: parseKind(input.kind),
    name: requiredText(input.name, 'name', 200),
    // New customers start at C until the yearly grading says otherwise.
    grade: parseGrade(input.grade, 'grade', 'C'),
    status: 'ACTIVE',
    tags: parseTags(input.tags),
    contacts: parseContacts(input.contacts),
    addresses: parseAddresses(input.addresses),
    responsibleStaffId: optionalText(input.responsibleStaffId, 'responsibleStaffId', 100),
  };
}

export const regionOf = (c: Pick<CustomerDetails, 'addresses'>): Region | null =>
  c.addresses.find((a) => a.primary)?.region ?? c.addresses[0]?.region ?? null;

export const phonesOf = (c: Pick<CustomerDetails, 'contacts'>): string[] =>
  c.contacts
    .flatMap((ct) => [ct.mobile, ct.phone])
    .filter((p): p is string => Boolean(p))
    .map((p) => p.replace(/\D/g, ''));
