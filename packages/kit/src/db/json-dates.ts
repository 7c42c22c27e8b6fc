import { JsonType, type Platform } from '@mikro-orm/core';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

function revive(value: unknown): unknown {
  if (typeof value === 'string') return ISO_INSTANT.test(value) ? new Date(value) : value;
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

/**
 * jsonb for value objects that hold instants (a goods receipt's issuedAt, a signature's
 * signedAt): Dates are written as UTC ISO strings and come back as Dates, so domain code gets
 * the types it was written for. Only exact UTC instants are revived, never free text.
 */
export class JsonWithDatesType extends JsonType {
  override convertToJSValue(value: unknown, platform: Platform): unknown {
    return revive(super.convertToJSValue(value as string, platform));
  }
}
