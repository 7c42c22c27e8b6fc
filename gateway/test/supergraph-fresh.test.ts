import { existsSync, readFileSync } from 'node:fs';
import { checkSupergraph, composeSupergraph, readSubgraphs } from '../src/compose';
import { REPO_ROOT, SUPERGRAPH_FILE } from '../src/subgraphs';

// CI fails here when a subgraph schema changed but gateway/supergraph.graphql was not recomposed
// (`npm run compose -w @aftercare/gateway`), or when the subgraphs no longer compose.
it('the checked-in supergraph is composed from the current subgraph schemas', () => {
  const composed = composeSupergraph(readSubgraphs(REPO_ROOT));
  const result = checkSupergraph(
    existsSync(SUPERGRAPH_FILE) ? readFileSync(SUPERGRAPH_FILE, 'utf8') : null,
    composed,
  );
  expect(result).toEqual({ ok: true });
});
