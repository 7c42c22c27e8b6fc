import type { Problem } from './findings';
import { type GraphQLCase, graphqlCases } from './graphql-case';
import {
  answerProblems,
  confirmWrites,
  type GatewayTarget,
  isRefused,
  sendCase,
} from './graphql-check';
import { againIfSlow } from './latency';
import { countChanges, type RowCounter } from './row-counts';
import type { FuzzTarget } from './runner';
import type { RootOperation } from './schema';
import type { Mood, ValueGenerator } from './values';

/** The gateway's body limit is 1 MiB; cases stay under it so they reach the schema. */
const MAX_BODY_BYTES = 900_000;

export interface WriteCheckStats {
  /** Refused mutations whose surrounding counts moved; of those, the ones confirmed as writes. */
  suspected: number;
  confirmed: number;
  /** Suspects left undecided: the databases did not come to rest (a scheduler kept writing). */
  undecided: number;
}

/**
 * One fast-check target per root field. Mutations are checked for writes: callers must run them
 * one at a time (queries may run alongside; they write nothing), so the counts taken around a
 * refused mutation see only that mutation and the system's own background work.
 */
export function graphqlTargets(
  operations: readonly RootOperation[],
  values: Record<Mood, ValueGenerator>,
  gateway: GatewayTarget,
  counter: RowCounter,
  stats: WriteCheckStats,
): FuzzTarget<GraphQLCase>[] {
  return operations.map((op) => ({
    name: op.name,
    cases: graphqlCases(op, values).filter(
      (c) =>
        Buffer.byteLength(JSON.stringify({ query: c.document, variables: c.variables })) <
        MAX_BODY_BYTES,
    ),
    async run(c) {
      const before = c.kind === 'mutation' ? await counter.snapshot() : undefined;
      const answer = await againIfSlow(
        // Renamed, the operation is parsed, validated and planned anew instead of from the caches.
        (again) =>
          sendCase(
            gateway,
            again ? { ...c, document: c.document.replace(' Fuzz', ' FuzzAgain') } : c,
          ),
        (a) => a.ms,
      );
      const problems: Problem[] = answerProblems(answer);
      if (before && isRefused(c, answer)) {
        const moved = countChanges(before, await counter.snapshot());
        if (moved.length > 0) {
          stats.suspected += 1;
          const verdict = await confirmWrites(gateway, counter, c);
          if (!verdict.decided) stats.undecided += 1;
          if (verdict.wrote) {
            stats.confirmed += 1;
            problems.push({
              kind: 'refused mutation wrote rows',
              detail: verdict.changes.join(', '),
            });
          }
        }
      }
      return { problems, answer: answer.body ?? answer.raw.slice(0, 300) };
    },
  }));
}
