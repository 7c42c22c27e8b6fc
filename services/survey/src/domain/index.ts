export * from './dates';
export * from './follow-up';
export * from './reminders';
export * from './scores';
export * from './survey';
export * from './template';
