import { AppError } from '@aftercare/kit/domain';

/**
 * R-CU-4 a customer file destroyed after its retention takes nothing new — in the customer
 * service or in any service that would hang a record on it (a work order, a complaint): refused
 * with CONFLICT FILE_DESTROYED, naming the input that led to it when there is one.
 */
export const fileDestroyed = (code: string, field?: string) =>
  new AppError(
    'FAILED_PRECONDITION',
    `customer file ${code} was destroyed after its retention (R-CU-4) and takes no changes`,
    { reason: 'FILE_DESTROYED', field },
  );
