import { BusinessCalendar } from '@aftercare/calendar';
import { type Month, localMonth, parseMonth } from '../month';
import type { LedgerEntry, PenaltyStatus } from './ledger';

/** Entries payroll counts: confirmed, and upheld on appeal. An undecided appeal waits. */
const PAYABLE: readonly PenaltyStatus[] = ['CONFIRMED', 'UPHELD'];
/** R-PN-3: one payroll row per staff member; all figures positive except the nets. */
export interface PayrollRow {
  staffId: string;
  penaltyPoints: number;
  finesFen: number;
  rewardPoints: number;
  rewardsFen: number;
  netPoints: number;
  netFen: number;
  entries: number;
}

/** R-PN-3: the month's payable entries per staff member (by `occurredAt` in the business month), sorted by staff id. */
export function monthlyExport(
  entries: readonly LedgerEntry[],
  month: Month,
  calendar: BusinessCalendar,
): PayrollRow[] {
  const wanted = parseMonth(month);
  const rows = new Map<string, PayrollRow>();
  for (const e of entries) {
    if (!PAYABLE.includes(e.status) || localMonth(e.occurredAt, calendar) !== wanted) continue;
    const row = rows.get(e.staffId) ?? {
      staffId: e.staffId,
      penaltyPoints: 0,
      finesFen: 0,
      rewardPoints: 0,
      rewardsFen: 0,
      netPoints: 0,
      netFen: 0,
      entries: 0,
    };
    if (e.kind === 'PENALTY') {
      row.penaltyPoints -= e.points;
      row.finesFen -= e.amountFen;
    } else {
      row.rewardPoints += e.points;
      row.rewardsFen += e.amountFen;
    }
    row.netPoints += e.points;
    row.netFen += e.amountFen;
    row.entries += 1;
    rows.set(e.staffId, row);
  }
  return [...rows.values()].sort((a, b) => (a.staffId < b.staffId ? -1 : 1));
}
