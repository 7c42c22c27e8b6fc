import type { ApolloServerPlugin } from '@apollo/server';
import depthLimit from 'graphql-depth-limit';
import {
  GraphQLError,
  Kind,
  validate,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface QueryLimits {
  maxDepth: number;
  /** Most fields one operation may select, counting aliases and every expansion of a fragment. */
  maxCost: number;
}

const tooComplex = (message: string, reason: string, nodes?: GraphQLError['nodes']) =>
  new GraphQLError(message, {
    nodes,
    extensions: { code: 'QUERY_TOO_COMPLEX', reason, http: { status: 400 } },
  });

/**
 * Number of fields the operation selects once fragments are expanded. Each fragment is counted
 * once and reused, so a document that nests spreads cannot make the count itself explode; the
 * count stops early once it passes `limit`.
 */
export function operationCost(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  limit: number,
): number {
  const fragments = new Map(
    document.definitions
      .filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d.selectionSet]),
  );
  const fragmentCost = new Map<string, number>();
  const inProgress = new Set<string>();

  const cost = (set: SelectionSetNode): number => {
    let total = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) total += 1 + (s.selectionSet ? cost(s.selectionSet) : 0);
      else if (s.kind === Kind.INLINE_FRAGMENT) total += cost(s.selectionSet);
      else total += costOfFragment(s.name.value);
      if (total > limit) return total;
    }
    return total;
  };
  const costOfFragment = (name: string): number => {
    const known = fragmentCost.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    // Unknown or cyclic fragments are already refused by standard validation.
    if (!fragment || inProgress.has(name)) return 0;
    inProgress.add(name);
    const value = cost(fragment);
    inProgress.delete(name);
    fragmentCost.set(name, value);
    return value;
  };
  return cost(operation.selectionSet);
}

/**
 * Refuses operations that are too deep or select too many fields, after validation and before
 * the query planner sends anything to a subgraph. Answered as QUERY_TOO_COMPLEX (HTTP 400) with
 * reason QUERY_TOO_DEEP or QUERY_TOO_COSTLY.
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema }) {
          if (!operation) return;
          // Cost first: it is linear, and bounding it bounds the depth rule's walk through fragments.
          const cost = operationCost(document, operation, limits.maxCost);
          if (cost > limits.maxCost) {
            throw tooComplex(
              `The operation selects more than ${limits.maxCost} fields (aliases and fragment expansions count); ask for less or split it`,
              'QUERY_TOO_COSTLY',
              [operation],
            );
          }
          const [deep] = validate(schema, document, [depthLimit(limits.maxDepth)]);
          if (deep) {
            throw tooComplex(
              `The operation nests fields deeper than ${limits.maxDepth} levels; nest fewer levels or split it`,
              'QUERY_TOO_DEEP',
              deep.nodes,
            );
          }
        },
      };
    },
  };
}
