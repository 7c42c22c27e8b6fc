export * from './catalogue';
export * from './common';
export * from './complaint';
export * from './customer';
export {
  defineEvent,
  schemaFileOf,
  type EventDefinition,
  type EventInput,
  type EventOutput,
} from './define';
export * from './envelope';
export * from './inventory';
export * from './survey';
export * from './workorder';
