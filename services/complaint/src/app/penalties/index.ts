// The penalty ledger's use cases. Its host gives it `PenaltyDeps` and, from a complaint
// investigation, a `ComplaintFinding`; nothing here reads complaints.
export * from './access';
export * from './decide';
export * from './deps';
export * from './propose';
export * from './queries';
export * from './recount';
export * from './rules';
export * from './violations';
