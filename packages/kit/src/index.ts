export * from './auth';
export * from './config';
export * from './db';
export * from './errors';
export * from './ids';
export * from './logger';
