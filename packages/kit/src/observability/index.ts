export { createMetrics, LATENCY_BUCKETS, Metrics, secondsSince } from './registry';
export { ANONYMOUS, OTHER, boundedLabel } from './labels';
export { createAccessLog, type AccessEntry, type AccessLog } from './access-log';
export { runAsWork, type WorkScope } from './work-scope';
export * as instruments from './instruments';
export { clientOperationName, graphqlObservationPlugin } from './graphql';
export { instrumentTransactions } from './transactions';
export { countStatements } from './statements';
export { countPublishedEvents, type EventCounter, eventCounter } from './business';
