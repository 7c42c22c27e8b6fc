import { DocumentLine, MAX_DOCUMENT_LINES, StockDocument, parseStockDocument } from './ledger';
import { assertDistinct, nonEmptyList, parseCode, parseCount } from './values';

/** What was found on the shelf for one part. */
export interface ShelfCount {
  partCode: string;
  counted: number;
}

export interface ShelfCountInput {
  partCode?: string | null;
  counted?: number | null;
}

/** Book against shelf for one counted part. */
export interface CountLine {
  partCode: string;
  book: number;
  counted: number;
  /** counted − book: positive is a surplus, negative a shortage. */
  difference: number;
}

export interface CountSummary {
  partsCounted: number;
  partsMatching: number;
  /** Share of counted parts whose book was right (帐物一致率), 1 when every line matches. */
  accuracy: number;
  unitsSurplus: number;
  unitsShort: number;
  /** Surplus and shortage at catalogue price; parts without a known price count 0. */
  surplusFen: number;
  shortageFen: number;
}

export interface StocktakeResult {
  lines: CountLine[];
  /** The COUNT_ADJUSTMENT lines: only the parts whose book was wrong, by the signed difference. */
  adjustments: DocumentLine[];
  summary: CountSummary;
}

export const parseShelfCounts = (
  input: readonly ShelfCountInput[] | null | undefined,
): ShelfCount[] => {
  const counts = nonEmptyList(input, 'counts', MAX_DOCUMENT_LINES).map((c, i) => ({
    partCode: parseCode(c.partCode, `counts.${i}.partCode`),
    counted: parseCount(c.counted, `counts.${i}.counted`),
  }));
  assertDistinct(
    counts.map((c) => c.partCode),
    'counts',
  );
  return counts;
};

/**
 * R-IN-2 reconciles book and shelf (帐物一致) for the parts counted in one warehouse. The count
 * covers exactly the parts listed (a cycle count may take one aisle); a part with no book entry
 * has a book of 0. `book` and `prices` are keyed by part code.
 */
export function compareCount(
  book: ReadonlyMap<string, number>,
  counts: readonly ShelfCount[],
  prices: ReadonlyMap<string, number> = new Map(),
): StocktakeResult {
  const lines = counts.map(({ partCode, counted }) => {
    const onBook = book.get(partCode) ?? 0;
    return { partCode, book: onBook, counted, difference: counted - onBook };
  });
  const adjustments = lines
    .filter((l) => l.difference !== 0)
    .map((l) => ({ partCode: l.partCode, quantity: l.difference }));
  const value = (l: CountLine) => Math.abs(l.difference) * (prices.get(l.partCode) ?? 0);
  const sum = (list: readonly CountLine[], of: (l: CountLine) => number) =>
    list.reduce((total, l) => total + of(l), 0);
  const surplus = lines.filter((l) => l.difference > 0);
  const short = lines.filter((l) => l.difference < 0);
  const partsMatching = lines.length - adjustments.length;
  return {
    lines,
    adjustments,
    summary: {
      partsCounted: lines.length,
      partsMatching,
      accuracy: lines.length === 0 ? 1 : partsMatching / lines.length,
      unitsSurplus: sum(surplus, (l) => l.difference),
      unitsShort: sum(short, (l) => -l.difference),
      surplusFen: sum(surplus, value),
      shortageFen: sum(short, value),
    },
  };
}

/**
 * The COUNT_ADJUSTMENT document that brings the book in line with the shelf, or null when the
 * book was right (there is nothing to post).
 */
export function adjustmentDocument(
  result: StocktakeResult,
  posting: {
    warehouseCode: string;
    by: string;
    at: Date;
    reason: string;
    reference?: string | null;
  },
  now: Date,
): StockDocument | null {
  if (result.adjustments.length === 0) return null;
  return parseStockDocument(
    { ...posting, type: 'COUNT_ADJUSTMENT', lines: result.adjustments },
    now,
  );
}
