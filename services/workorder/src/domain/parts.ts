import { numberIn, optionalText, requiredText } from './values';

/** A part replaced on a job (repair card R-WO-5, service report R-WO-6). */
export interface PartReplaced {
  code: string | null;
  name: string;
  /** In the part's unit; fractions allowed (litres of oil). */
  quantity: number;
  reason: string;
}

export interface PartReplacedInput {
  code?: string | null;
  name?: string | null;
  quantity?: number | null;
  reason?: string | null;
}

export const MAX_PART_QUANTITY = 10_000;

export function parsePartReplaced(input: PartReplacedInput, field: string): PartReplaced {
  return {
    code: optionalText(input.code, `${field}.code`, 64),
    name: requiredText(input.name, `${field}.name`, 200),
    quantity: numberIn(input.quantity, `${field}.quantity`, {
      min: 0,
      max: MAX_PART_QUANTITY,
      minExclusive: true,
    }),
    reason: requiredText(input.reason, `${field}.reason`, 500),
  };
}

export const parsePartsReplaced = (
  input: readonly PartReplacedInput[] | null | undefined,
  field: string,
): PartReplaced[] => (input ?? []).map((part, i) => parsePartReplaced(part, `${field}.${i}`));
