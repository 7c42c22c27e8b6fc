export * from './common';
export * from './workorder';
