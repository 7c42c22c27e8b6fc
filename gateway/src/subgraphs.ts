import { join } from 'node:path';

/** The repository root, from `gateway/src` (tests, ts) or `gateway/dist` (built) alike. */
export const REPO_ROOT = join(__dirname, '..', '..');
export const SUPERGRAPH_FILE = join(REPO_ROOT, 'gateway', 'supergraph.graphql');

export interface SubgraphEntry {
  /** Subgraph name in the supergraph; also the env prefix: `CUSTOMER_SUBGRAPH_URL`. */
  name: string;
  /** The service's SDL, relative to the repository root. */
  schemaPath: string;
  /** Where the service listens by default (`npm start` on one machine). */
  defaultUrl: string;
}

const entry = (name: string, port: number): SubgraphEntry => ({
  name,
  schemaPath: join('services', name, 'src', 'graphql', 'schema.graphql'),
  defaultUrl: `http://127.0.0.1:${port}/graphql`,
});

/** Every subgraph of the graph, in one place. */
export const SUBGRAPHS: readonly SubgraphEntry[] = [
  entry('customer', 4101),
  entry('workorder', 4102),
  entry('inventory', 4103),
  entry('complaint', 4104),
  entry('survey', 4105),
];

export const subgraphUrlVariable = (name: string) => `${name.toUpperCase()}_SUBGRAPH_URL`;
