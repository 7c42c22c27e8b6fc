export * from './authority';
export * from './complaint';
export * from './deadlines';
export * from './month';
export * from './penalties';
export * from './statistics';
export * from './workflow';
export * from './policy';
