import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Identity } from '../auth';
import type { AccessLog } from './access-log';
import { graphqlServerDuration } from './instruments';
import { ANONYMOUS, boundedLabel } from './labels';
import { secondsSince, type Metrics } from './registry';
import { runAsWork, type WorkScope } from './work-scope';

/** What Apollo tells about one request, gathered by `graphqlObservationPlugin`. */
interface Observation {
  /** The operation's label: its name, bounded, or `anonymous`. */
  operationName?: string;
  operationType?: string;
  /** extensions.code of each error in the answer. */
  errorCodes: string[];
  /** False when Apollo answered before any plugin hook ran (a failing context hook). */
  seen: boolean;
  /** The caller, as the context hook verified it (the gateway authenticates there). */
  userId: string | null;
  /** Renamed to the operation once known, so its transactions carry the operation's name. */
  work: WorkScope;
  label(name: string): string;
}

const storage = new AsyncLocalStorage<Observation>();

/**
 * The gateway names each subgraph fetch `<operation>__<subgraph>__<n>`; a subgraph counts it under
 * the client's operation name, so one operation reads the same at the gateway and behind it.
 */
const GATEWAY_FETCH_SUFFIX = /__[a-z][a-z0-9_]*__\d+$/;

/** The client's operation name behind a subgraph fetch's (`<operation>__<subgraph>__<n>`). */
export const clientOperationName = (name: string | null | undefined): string | undefined =>
  name?.replace(GATEWAY_FETCH_SUFFIX, '') || undefined;

/** Distinct operation names kept per process before further ones are labelled `other`. */
const MAX_OPERATION_NAMES = 200;
const operationLabels = new WeakMap<Metrics, (name: string) => string>();

const operationLabelOf = (metrics: Metrics, name: string): string => {
  let label = operationLabels.get(metrics);
  if (!label) operationLabels.set(metrics, (label = boundedLabel(MAX_OPERATION_NAMES)));
  return label(name);
};

/**
 * Records what the HTTP layer cannot see of a GraphQL request: its resolved operation and the
 * codes of the errors answered. Both the gateway and every subgraph install it.
 */
export function graphqlObservationPlugin<
  TContext extends BaseContext,
>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue }) {
      const observation = storage.getStore();
      if (!observation) return;
      observation.seen = true;
      const identity = (contextValue as { identity?: Identity | null }).identity;
      if (identity) observation.userId = identity.userId;
      return {
        async didResolveOperation({ operationName, operation }) {
          const name = clientOperationName(operationName) ?? ANONYMOUS;
          observation.operationName = observation.label(name);
          observation.operationType = operation?.operation;
          observation.work.name = observation.operationName;
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          observation.errorCodes = (response.body.singleResult.errors ?? []).map((e) =>
            String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
          );
        },
      };
    },
  };
}

export interface GraphQLOutcome {
  status: number;
  /** The answer's body when complete; read for error codes only when the plugin saw nothing. */
  body?: string;
}

/**
 * Runs one GraphQL request, then observes its duration per operation and writes its access line.
 * Transactions the request opens count under `graphql` and the operation's name.
 */
export async function observeGraphQLRequest(
  observe: { metrics: Metrics; accessLog: AccessLog },
  run: (caller: (identity: Identity | null) => void) => Promise<GraphQLOutcome>,
): Promise<void> {
  const start = performance.now();
  const observation: Observation = {
    errorCodes: [],
    seen: false,
    userId: null,
    work: { kind: 'graphql', name: ANONYMOUS },
    label: (name) => operationLabelOf(observe.metrics, name),
  };
  let outcome: GraphQLOutcome | undefined;
  try {
    const caller = (identity: Identity | null) => {
      observation.userId = identity?.userId ?? null;
    };
    outcome = await storage.run(observation, () => runAsWork(observation.work, () => run(caller)));
  } finally {
    const codes = observation.seen ? observation.errorCodes : codesOf(outcome);
    const status = outcome?.status ?? 500;
    const errorType = codes[0] ?? (status >= 400 ? `HTTP_${status}` : undefined);
    const operation = observation.operationName ?? ANONYMOUS;
    const seconds = secondsSince(start);
    graphqlServerDuration(observe.metrics).observe(
      {
        graphql_operation_name: operation,
        graphql_operation_type: observation.operationType ?? 'unknown',
        ...(errorType ? { error_type: errorType } : {}),
      },
      seconds,
    );
    observe.accessLog.write(
      {
        protocol: 'graphql',
        operation,
        operation_type: observation.operationType,
        status,
        error_code: errorType,
        duration_ms: seconds * 1000,
        user_id: observation.userId,
      },
      errorType !== undefined,
    );
  }
}

/** Error codes of an answer Apollo made without running the plugin (context hook failures). */
function codesOf(outcome: GraphQLOutcome | undefined): string[] {
  if (!outcome?.body || outcome.status < 400) return [];
  try {
    const errors = (JSON.parse(outcome.body) as { errors?: { extensions?: { code?: unknown } }[] })
      .errors;
    return (errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
  } catch {
    return [];
  }
}
