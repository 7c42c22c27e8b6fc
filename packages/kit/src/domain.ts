// The kit for domain code: errors, validation, ids, roles, human numbers, grouping — nothing that
// does I/O or loads the ORM, NATS, gRPC or telemetry (ADR 0024). `src/domain/` imports only this.
export * from './auth';
export * from './batch';
export * from './errors';
export * from './ids';
export * from './input-policy';
export * from './numbers';
export * from './validation';
