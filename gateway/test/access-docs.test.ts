import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { subgraphAccess } from '@aftercare/kit';
import { ACCESS_DOCS_FILE, publicRootFields, renderAccessDocs } from '../src/access-docs';
import { PUBLIC_ROOT_FIELDS } from '../src/auth';
import { composeSupergraph, readSubgraphs } from '../src/compose';
import { REPO_ROOT } from '../src/subgraphs';

// docs/access.md is the role → operation matrix front-end teams read; it is generated from the
// @access declarations the services enforce, and CI fails here when it was not regenerated.
it('the checked-in docs/access.md is generated from the current subgraph schemas', () => {
  const current = existsSync(ACCESS_DOCS_FILE) ? readFileSync(ACCESS_DOCS_FILE, 'utf8') : null;
  expect(current).toBe(renderAccessDocs(readSubgraphs(REPO_ROOT)));
});

it('every root field of every subgraph declares who may call it (@access)', () => {
  const problems = readSubgraphs(REPO_ROOT).flatMap((subgraph) => {
    try {
      subgraphAccess(subgraph.typeDefs);
      return [];
    } catch (e) {
      return [`${subgraph.name}: ${(e as Error).message}`];
    }
  });
  expect(problems).toEqual([]);
});

it('renders each root field and each gated field with its roles, public ones for everyone', () => {
  const typeDefs = parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    directive @access(roles: [String!], public: Boolean) on FIELD_DEFINITION
    type Query {
      board: [Order!]! @access(roles: ["dispatcher", "manager"])
      form(token: String!): String @access(public: true)
    }
    type Order { id: ID! phone: String @access(roles: ["dispatcher"]) }
  `);
  const doc = renderAccessDocs([{ name: 'orders', url: 'http://x', typeDefs }]);
  expect(doc).toContain('## orders\n\n### Queries');
  expect(doc).toContain('| `board` |  | ✓ |  |  |  |  |  | ✓ |  |  |');
  expect(doc).toContain('| `form` *public* | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |');
  expect(doc).toContain('### Fields gated on their own');
  expect(doc).toContain('| `Order.phone` |  | ✓ |  |  |  |  |  |  |  |  |');
});

it('the gateway admits anonymous callers to exactly the root fields the subgraphs declare public', () => {
  expect(publicRootFields(readSubgraphs(REPO_ROOT))).toEqual({
    query: [...PUBLIC_ROOT_FIELDS.query].sort(),
    mutation: [...PUBLIC_ROOT_FIELDS.mutation].sort(),
  });
});

it('the access directive stays out of the composed supergraph (it is no part of the client schema)', () => {
  expect(composeSupergraph(readSubgraphs(REPO_ROOT))).not.toContain('@access');
});
