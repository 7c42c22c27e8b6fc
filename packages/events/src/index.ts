export * from './common';
export * from './complaint';
export * from './customer';
export * from './inventory';
export * from './survey';
export * from './workorder';
