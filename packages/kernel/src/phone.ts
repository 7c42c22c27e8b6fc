import { invalidArgument, requiredText } from '@aftercare/kit/domain';

/** Mobile (11 digits, 1[3-9]…) or landline with area code; separators and +86 are dropped. */
export function normalisePhone(raw: string | null | undefined, field: string): string {
  const text = requiredText(raw, field, 40);
  const digits = text.replace(/[\s()-]/g, '').replace(/^(\+86|0086)/, '');
  if (!/^1[3-9]\d{9}$/.test(digits) && !/^0\d{9,11}$/.test(digits)) {
    throw invalidArgument(
      `"${text}" is not a mobile number or a landline with area code`,
      field,
      'INVALID_PHONE',
    );
  }
  return digits;
}
