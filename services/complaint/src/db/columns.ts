import { JsonWithDatesType } from '@aftercare/kit';

/** An instant, stored with its time zone. */
export const instant = (nullable = false) =>
  ({ type: 'Date', columnType: 'timestamptz', nullable }) as const;
/** A JSON value whose ISO timestamps come back as `Date`s. */
export const json = (nullable = false) => ({ type: JsonWithDatesType, nullable }) as const;
