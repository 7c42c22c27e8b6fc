import { type DocumentNode, Kind, visit } from 'graphql';
import { subgraphAccess } from '@aftercare/kit';
import { readSubgraphs } from '../src/compose';
import { REPO_ROOT } from '../src/subgraphs';

// Front-end developers read the graph through its descriptions (issue 13, ADR 0017): what a
// thing is, its units and time zone, the rule behind it, who may call it. Every subgraph keeps
// at least MIN_COVERAGE of each kind of element described, and a root field's "Roles:" sentence
// says exactly what its @access declaration enforces.
const MIN_COVERAGE = 0.95;

const KINDS = ['types', 'fields', 'arguments', 'input fields', 'enum values'] as const;
type ElementKind = (typeof KINDS)[number];

/** Every describable element of a subgraph SDL by kind, with whether it has a description. */
function elements(
  typeDefs: DocumentNode,
): { kind: ElementKind; name: string; described: boolean }[] {
  const found: { kind: ElementKind; name: string; described: boolean }[] = [];
  const add = (kind: ElementKind, name: string, description: { value: string } | undefined) =>
    found.push({ kind, name, described: Boolean(description?.value.trim()) });
  for (const def of typeDefs.definitions) {
    // Directive definitions and `extend schema` are the plumbing's, not the graph's.
    if (def.kind === Kind.SCALAR_TYPE_DEFINITION) add('types', def.name.value, def.description);
    if (def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      add('types', def.name.value, def.description);
      for (const field of def.fields ?? []) {
        const name = `${def.name.value}.${field.name.value}`;
        add('fields', name, field.description);
        for (const arg of field.arguments ?? [])
          add('arguments', `${name}(${arg.name.value})`, arg.description);
      }
    }
    if (def.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) {
      add('types', def.name.value, def.description);
      for (const field of def.fields ?? [])
        add('input fields', `${def.name.value}.${field.name.value}`, field.description);
    }
    if (def.kind === Kind.ENUM_TYPE_DEFINITION) {
      add('types', def.name.value, def.description);
      for (const value of def.values ?? [])
        add('enum values', `${def.name.value}.${value.name.value}`, value.description);
    }
  }
  return found;
}

/** The "Roles: a, b." sentence a root field's description must end with, from its @access. */
export function rolesSentence(access: { public: true } | { public: false; roles: string[] }) {
  if (access.public) return 'Roles: anyone, without signing in.';
  // ADR 0025: operators' fields name admin alone.
  if (access.roles.length === 1 && access.roles[0] === 'admin') return 'Roles: admin only.';
  return `Roles: ${access.roles.join(', ')}.`;
}

const SUBGRAPHS = ['customer', 'workorder', 'inventory', 'complaint', 'survey'];

describe.each(SUBGRAPHS)('the %s subgraph describes itself for front-end developers', (name) => {
  const subgraph = readSubgraphs(REPO_ROOT).find((s) => s.name === name)!;

  it.each(KINDS)(`describes at least ${MIN_COVERAGE * 100} %% of its %s`, (kind) => {
    const all = elements(subgraph.typeDefs).filter((e) => e.kind === kind);
    const missing = all.filter((e) => !e.described).map((e) => e.name);
    const covered = all.length ? 1 - missing.length / all.length : 1;
    // On failure, the elements still to describe are listed.
    expect({ kind, missing: covered < MIN_COVERAGE ? missing : [] }).toEqual({ kind, missing: [] });
  });

  it('ends every root field description with the roles its @access declares', () => {
    const descriptions = new Map<string, string>();
    visit(subgraph.typeDefs, {
      ObjectTypeDefinition: (t) => {
        if (t.name.value !== 'Query' && t.name.value !== 'Mutation') return;
        for (const f of t.fields ?? [])
          descriptions.set(`${t.name.value}.${f.name.value}`, f.description?.value ?? '');
      },
    });
    const wrong = subgraphAccess(subgraph.typeDefs)
      .filter((d) => d.type === 'Query' || d.type === 'Mutation')
      .map((d) => ({
        field: `${d.type}.${d.field}`,
        expected: rolesSentence(d.access),
        // A long sentence may wrap inside a block string.
        sentence:
          /Roles: [^.]*\./
            .exec(descriptions.get(`${d.type}.${d.field}`) ?? '')?.[0]
            ?.replace(/\s+/g, ' ') ?? null,
      }))
      .filter((d) => d.sentence !== d.expected);
    expect(wrong).toEqual([]);
  });
});
