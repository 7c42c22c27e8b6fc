export * from './database';
export * from './nats';
export * from './service-env';
export * from './helpers';
export * from './events';
export * from './access';
export * from './identity';
export * from './identity-attacks';
