/*
 * The penalty ledger (R-PN-1..3): rules as data, assessment, a ledger line's lifecycle, payroll.
 * It runs inside the complaint service but reads no complaint, so lifting it into a service of its
 * own is a move, not a rewrite: `domain/penalties`, `app/penalties`, `db/penalties` and
 * `events/penalties` go together. What it needs from the complaint side, and nothing else:
 * - the business month (`domain/month`: `Month`, `parseMonth`, `localMonth`, `monthRange`);
 * - a `ComplaintFinding` (`app/penalties/propose`) when an investigation is submitted: the
 *   complaint's id and receipt time, whether it repeats an earlier one, whether our service caused
 *   it, who was found responsible and, asked only when nobody was, the team member whose team lead
 *   carries it;
 * - `PenaltyDeps` (`app/penalties/deps`): database, outbox, calendar, clock, escalation settings,
 *   the staff roster and the identity it acts under.
 * Today its tables share the complaint service's database and migrations, and its events are
 * declared among the complaint service's.
 */
export * from './rules';
export * from './assessment';
export * from './ledger';
export * from './payroll';
