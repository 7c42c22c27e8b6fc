import { invalidArgument, oneOf } from '@aftercare/kit/domain';
import { optionalText, requiredText } from './values';

export const CONTACT_CHANNELS = ['PHONE', 'LETTER', 'VISIT', 'WEB', 'SMS', 'EMAIL'] as const;
export const CONTACT_DIRECTIONS = ['INBOUND', 'OUTBOUND'] as const;
export const CONTACT_PURPOSES = [
  'FOLLOW_UP',
  'CONSULTATION',
  'COMPLAINT',
  'NOTICE',
  'INVITATION',
  'REPLY',
  'REPAIR_REQUEST',
] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export type ContactDirection = (typeof CONTACT_DIRECTIONS)[number];
export type ContactPurpose = (typeof CONTACT_PURPOSES)[number];

/** R-CU-5: every call and letter, inbound or outbound, is logged against the customer. */
export interface ContactLogDetails {
  channel: ContactChannel;
  direction: ContactDirection;
  purpose: ContactPurpose;
  summary: string;
  customerRequest: string | null;
  staffId: string;
  occurredAt: Date;
  reference: string | null;
}

export interface ContactLogInput {
  channel?: string | null;
  direction?: string | null;
  purpose?: string | null;
  summary?: string | null;
  customerRequest?: string | null;
  staffId?: string | null;
  occurredAt?: Date | null;
  reference?: string | null;
}

export function newContactLogEntry(
  input: ContactLogInput,
  caller: string,
  now: Date,
): ContactLogDetails {
  const occurredAt = input.occurredAt ?? now;
  if (Number.isNaN(occurredAt.getTime()))
    throw invalidArgument('occurredAt is not a valid time', 'occurredAt', 'INVALID_TIME');
  // A small allowance for clock skew between the caller and us; a contact cannot be logged ahead of time.
  if (occurredAt.getTime() > now.getTime() + 5 * 60_000) {
    throw invalidArgument('occurredAt is in the future', 'occurredAt', 'IN_THE_FUTURE');
  }
  return {
    channel: oneOf(CONTACT_CHANNELS, input.channel, 'channel'),
    direction: oneOf(CONTACT_DIRECTIONS, input.direction, 'direction'),
    purpose: oneOf(CONTACT_PURPOSES, input.purpose, 'purpose'),
    summary: requiredText(input.summary, 'summary', 2000),
    customerRequest: optionalText(input.customerRequest, 'customerRequest', 2000),
    staffId: optionalText(input.staffId, 'staffId', 100) ?? caller,
    occurredAt,
    reference: optionalText(input.reference, 'reference', 200),
  };
}
