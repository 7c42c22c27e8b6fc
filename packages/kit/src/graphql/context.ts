import type { Identity } from '../auth';
import type { EntityManager, Orm } from '../db';
import type { SubgraphContext } from './subgraph';

/** A subgraph request's context: its own EntityManager and its own DataLoaders (batched, no N+1). */
export type RequestContext<L> = SubgraphContext & { em: EntityManager; loaders: L };

/** Builds the per-request context hook of `createSubgraph` from a service's loader factory. */
export const requestContext =
  <L>(orm: Orm, createLoaders: (em: EntityManager, identity: Identity | null) => L) =>
  (base: SubgraphContext): RequestContext<L> => {
    const em = orm.em.fork();
    return { ...base, em, loaders: createLoaders(em, base.identity) };
  };

/** Lookups by id answer null for an unknown id, as GraphQL clients expect; other errors pass. */
export function nullIfNotFound(e: unknown): null {
  if ((e as { code?: string }).code === 'NOT_FOUND') return null;
  throw e;
}
