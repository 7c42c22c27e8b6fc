export * from './database';
export * from './orm';
export * from './paging';
export * from './json-dates';
export * from './lookup';
export * from './idempotency';
export * from './idempotency-migration';
