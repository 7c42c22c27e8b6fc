import { existsSync, readFileSync } from 'node:fs';
import { clientSchema, CLIENT_SCHEMA_FILE } from '../src/client-schema';
import { checkGenerated, composeSupergraph, readSubgraphs } from '../src/compose';
import { REPO_ROOT, SUPERGRAPH_FILE } from '../src/subgraphs';

const checkedIn = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : null);

// CI fails here when a subgraph schema changed but gateway/supergraph.graphql and the client
// schema gateway/schema.graphql were not regenerated (`npm run compose -w @aftercare/gateway`),
// or when the subgraphs no longer compose.
it('the checked-in supergraph is composed from the current subgraph schemas', () => {
  const composed = composeSupergraph(readSubgraphs(REPO_ROOT));
  expect(checkGenerated(checkedIn(SUPERGRAPH_FILE), composed)).toEqual({ ok: true });
});

it('issue 13: the checked-in client schema is the API schema of the checked-in supergraph', () => {
  const supergraph = checkedIn(SUPERGRAPH_FILE) ?? '';
  expect(
    checkGenerated(checkedIn(CLIENT_SCHEMA_FILE), clientSchema(supergraph), 'the client schema'),
  ).toEqual({ ok: true });
});
