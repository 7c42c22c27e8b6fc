export * from './database';
export * from './orm';
export * from './paging';
export * from './json-dates';
export * from './lookup';
