import type { Metrics } from './registry';

/*
 * Every metric family the kit records, named once here. Names follow the Prometheus conventions
 * (base unit suffix `_seconds`, `_total` on counters only) and, where one exists, the OpenTelemetry
 * semantic convention translated to Prometheus (`http.server.request.duration` →
 * `http_server_request_duration_seconds`, attribute dots → underscores). Label values are bounded
 * sets: routes, operation names (capped), methods, consumer and scheduler names, codes.
 * deploy/observability's dashboards and alerts query these names; a test checks they exist.
 */

export const httpServerDuration = (m: Metrics) =>
  m.histogram({
    name: 'http_server_request_duration_seconds',
    help: 'HTTP requests served, by route, method and status',
    labelNames: ['http_route', 'http_request_method', 'http_response_status_code'] as const,
  });

export const graphqlServerDuration = (m: Metrics) =>
  m.histogram({
    name: 'graphql_server_request_duration_seconds',
    help: 'GraphQL requests served, by operation name and type; error_type is the first error code when the request failed',
    labelNames: ['graphql_operation_name', 'graphql_operation_type', 'error_type'] as const,
  });

export const subgraphFetchDuration = (m: Metrics) =>
  m.histogram({
    name: 'graphql_gateway_subgraph_fetch_duration_seconds',
    help: 'Requests the gateway made to a subgraph; error_type is the first error code when the fetch failed',
    labelNames: ['subgraph_name', 'error_type'] as const,
  });

const RPC_LABELS = ['rpc_service', 'rpc_method', 'rpc_grpc_status_code'] as const;

export const rpcServerDuration = (m: Metrics) =>
  m.histogram({
    name: 'rpc_server_call_duration_seconds',
    help: 'gRPC calls served, by service, method and status code name',
    labelNames: RPC_LABELS,
  });

export const rpcClientDuration = (m: Metrics) =>
  m.histogram({
    name: 'rpc_client_call_duration_seconds',
    help: 'gRPC calls made to other services, by service, method and status code name',
    labelNames: RPC_LABELS,
  });

export const dbTransactionDuration = (m: Metrics) =>
  m.histogram({
    name: 'db_client_transaction_duration_seconds',
    help: 'Database transactions, by what started them (kind: graphql, grpc, event_consumer, scheduler, outbox_relay, other; name: operation, method, consumer or scheduler) and outcome (commit, rollback)',
    labelNames: ['db_transaction_kind', 'db_transaction_name', 'outcome'] as const,
  });

export const dbStatements = (m: Metrics) =>
  m.counter({
    name: 'db_client_statements_total',
    help: 'SQL statements sent to the database (BEGIN, COMMIT and savepoints included: each is a round trip), by what started them (db_transaction_kind and db_transaction_name as for transactions)',
    labelNames: ['db_transaction_kind', 'db_transaction_name'] as const,
  });

export const outboxPublished = (m: Metrics) =>
  m.counter({
    name: 'outbox_events_published_total',
    help: 'Events the outbox relay published (acknowledged by JetStream, duplicates included)',
  });

export const outboxFailures = (m: Metrics) =>
  m.counter({
    name: 'outbox_publish_failures_total',
    help: 'Failed outbox relay rounds (a publish failed, or NATS or the database was unavailable)',
  });

/** Read at scrape time from `read`. */
export const outboxBacklog = (m: Metrics, read: () => Promise<number>) =>
  m.gauge({
    name: 'outbox_backlog_events',
    help: 'Outbox rows committed and not yet published',
    async collect() {
      this.set(await read());
    },
  });

/** Read at scrape time from `read`. */
export const outboxOldestAge = (m: Metrics, read: () => Promise<number>) =>
  m.gauge({
    name: 'outbox_oldest_event_age_seconds',
    help: 'Age of the oldest outbox row not yet published (0 when none waits)',
    async collect() {
      this.set(await read());
    },
  });

export const outboxPublishDuration = (m: Metrics) =>
  m.histogram({
    name: 'outbox_publish_duration_seconds',
    help: 'Time from handing an event to JetStream to its acknowledgement',
  });

export const consumerLabels = ['messaging_consumer_group_name'] as const;

export const consumerProcessed = (m: Metrics) =>
  m.counter({
    name: 'event_consumer_processed_total',
    help: 'Events whose handler committed, per durable consumer',
    labelNames: consumerLabels,
  });

export const consumerDuplicates = (m: Metrics) =>
  m.counter({
    name: 'event_consumer_duplicates_skipped_total',
    help: 'Deliveries skipped because the inbox already had the event, per durable consumer',
    labelNames: consumerLabels,
  });

export const consumerRedeliveries = (m: Metrics) =>
  m.counter({
    name: 'event_consumer_redeliveries_total',
    help: 'Deliveries of an event that had been delivered before (after a nak or an ack timeout), per durable consumer',
    labelNames: consumerLabels,
  });

export const consumerRetries = (m: Metrics) =>
  m.counter({
    name: 'event_consumer_retries_total',
    help: 'Handler failures answered with a nak for redelivery, per durable consumer',
    labelNames: consumerLabels,
  });

export const consumerOutageRetries = (m: Metrics) =>
  m.counter({
    name: 'event_consumer_outage_retries_total',
    help: 'In-place retries of an event held while a dependency (database, called service) was unavailable, per durable consumer',
    labelNames: consumerLabels,
  });

export const consumerParked = (m: Metrics) =>
  m.counter({
    name: 'event_consumer_parked_total',
    help: 'Events parked in the dead-letter stream and terminated, per durable consumer and reason (malformed, invalid, poison)',
    labelNames: [...consumerLabels, 'reason'] as const,
  });

export const consumerParkFailures = (m: Metrics) =>
  m.counter({
    name: 'event_consumer_park_failures_total',
    help: "Events that could not be parked (dead-letter stream unavailable) and were nak'ed for redelivery, per durable consumer",
    labelNames: consumerLabels,
  });

export const deadLettersReplayed = (m: Metrics) =>
  m.counter({
    name: 'event_dead_letters_replayed_total',
    help: 'Parked events replayed, per durable consumer and outcome (applied, already_applied, failed, unavailable)',
    labelNames: [...consumerLabels, 'outcome'] as const,
  });

export const consumerHandleDuration = (m: Metrics) =>
  m.histogram({
    name: 'event_consumer_handle_duration_seconds',
    help: 'Time to handle one delivery (inbox check, handler, commit), per durable consumer and outcome (processed, duplicate, retry, parked)',
    labelNames: [...consumerLabels, 'outcome'] as const,
  });

export const schedulerRounds = (m: Metrics) =>
  m.counter({
    name: 'scheduler_rounds_total',
    help: 'Rounds of a periodic job, by scheduler and outcome (success, failure)',
    labelNames: ['scheduler', 'outcome'] as const,
  });

export const schedulerRoundDuration = (m: Metrics) =>
  m.histogram({
    name: 'scheduler_round_duration_seconds',
    help: 'Duration of a periodic job round, by scheduler',
    labelNames: ['scheduler'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120],
  });

export const schedulerItems = (m: Metrics) =>
  m.counter({
    name: 'scheduler_items_processed_total',
    help: 'Items a periodic job handled (breaches recorded, reminders sent, …), by scheduler',
    labelNames: ['scheduler'] as const,
  });

export const schedulerLastSuccess = (m: Metrics) =>
  m.gauge({
    name: 'scheduler_last_success_timestamp_seconds',
    help: 'Unix time of the last successful round, by scheduler',
    labelNames: ['scheduler'] as const,
  });

const BUFFERED_LABELS = ['db_table'] as const;

export const bufferedRows = (m: Metrics) =>
  m.counter({
    name: 'db_client_buffered_rows_total',
    help: 'Rows of append-only tables written in batches (e.g. the archive read log), by table and outcome: written, or refused because the buffer was full',
    labelNames: [...BUFFERED_LABELS, 'outcome'] as const,
  });

export const bufferedFlushFailures = (m: Metrics) =>
  m.counter({
    name: 'db_client_buffered_flush_failures_total',
    help: 'Batched INSERTs that failed (their rows stay buffered and are retried), by table',
    labelNames: BUFFERED_LABELS,
  });

export const bufferedPending = (m: Metrics) =>
  m.gauge({
    name: 'db_client_buffered_rows_pending',
    help: 'Rows buffered in memory, not written yet, by table',
    labelNames: BUFFERED_LABELS,
  });
