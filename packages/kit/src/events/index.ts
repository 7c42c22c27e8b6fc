export * from './consumer';
export * from './data';
export * from './dead-letter';
export * from './dead-letter-replay';
export {
  eventSubject,
  parseEnvelope,
  schemaUrl,
  streamName,
  streamSubjects,
  type EnvelopeParseResult,
  type EventEnvelope,
} from './envelope';
export * from './managed';
export * from './migration';
export * from './nats';
export * from './outbox';
export * from './relay';
export * from './schema';
export * from './stream';
export * from './watch';
