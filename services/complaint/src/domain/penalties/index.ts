/*
 * The penalty ledger (R-PN-1..3): rules as data, assessment, the ledger line's lifecycle and the
 * payroll export. It lives in the complaint service for now but knows nothing of complaints, so it
 * can become a service of its own. What it takes from its host, and nothing more:
 * - the business month (`../month`: `Month`, `parseMonth`, `localMonth`), shared vocabulary;
 * - from a complaint investigation (app side, `ComplaintFinding` in `app/penalties`): the complaint's
 *   id, when it was received, whether it repeats an earlier one, whether our service caused it, the
 *   people found responsible, and who else on the team it concerns when nobody was named.
 */
export * from './rules';
export * from './assessment';
export * from './ledger';
export * from './payroll';
