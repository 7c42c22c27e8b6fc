import type { GraphQLResolverMap } from '@apollo/subgraph';
import type { NatsConnection } from '@nats-io/transport-node';
import { deadLetterAdmin, type ReplayOutcome } from '../events/dead-letter-replay';
import type { ParkedEvent } from '../events/dead-letter';
import { pageOfList, toConnection } from './pagination';
import type { SubgraphContext } from './subgraph';

/**
 * The admin-only dead-letter fields (ADR 0025). Federation cannot merge one root field from
 * several subgraphs, so one service declares them in its schema and opts in with
 * `defineService({ graphql: { deadLetters: true } })`; these resolvers serve every service's
 * parked events, replays going to the owning service. Roles are checked by `@access` before
 * these run.
 */
export function deadLetterResolvers(
  nats: NatsConnection,
  subjectPrefix: string,
): GraphQLResolverMap<SubgraphContext> {
  const admin = deadLetterAdmin(nats, subjectPrefix);
  return {
    Query: {
      async deadLetters(
        _: unknown,
        args: { filter?: GraphFilter | null; first?: number | null; after?: string | null },
      ) {
        const parked = await admin.list(filterFrom(args.filter), Number.MAX_SAFE_INTEGER);
        return toConnection(pageOfList(parked.map(toNode), args, (p) => p.id));
      },
    },
    Mutation: {
      async replayDeadLetters(
        _: unknown,
        { input }: { input: { filter?: GraphFilter | null; all?: boolean | null } },
      ) {
        const report = await admin.replay(filterFrom(input.filter), { all: input.all === true });
        const count = (outcome: ReplayOutcome) =>
          report.results.filter((r) => r.outcome === outcome).length;
        return {
          results: report.results.map((r) => ({ ...r, outcome: r.outcome.toUpperCase() })),
          applied: count('applied'),
          alreadyApplied: count('already_applied'),
          failed: count('failed'),
          unavailable: count('unavailable'),
          unreachableServices: report.unreachable,
        };
      },
    },
  };
}

interface GraphFilter {
  service?: string | null;
  consumer?: string | null;
  eventType?: string | null;
  eventId?: string | null;
  parkedFrom?: Date | null;
  parkedTo?: Date | null;
}

/** The graph's filter as the kit's (instants as ISO text); its checks are the kit's. */
const filterFrom = (f: GraphFilter | null | undefined): Record<string, unknown> => ({
  ...f,
  parkedFrom: f?.parkedFrom?.toISOString(),
  parkedTo: f?.parkedTo?.toISOString(),
});

const toNode = (p: ParkedEvent) => ({
  id: `${p.service}:${p.sequence}`,
  service: p.service,
  consumer: p.consumer,
  sequence: p.sequence,
  reason: p.reason.toUpperCase(),
  error: p.error,
  attempts: p.attempts,
  parkedAt: p.parkedAt,
  eventId: p.eventId,
  eventType: p.eventType,
  originalStream: p.original.stream,
  originalSequence: p.original.sequence,
  originalSubject: p.original.subject,
  body: p.body,
});
