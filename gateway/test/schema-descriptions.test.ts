import {
  type ConstDirectiveNode,
  type DocumentNode,
  Kind,
  type StringValueNode,
  visit,
} from 'graphql';
import { readSubgraphs } from '../src/compose';
import { REPO_ROOT } from '../src/subgraphs';

// Issue 13: the graph documents itself for front-end developers. Each subgraph's schema describes
// at least 95 % of its types, fields, arguments, input fields and enum values (directive
// definitions and federation's own types aside), and every root field says who may call it in a
// "Roles: …." sentence that agrees with its @access declaration.

const MIN_COVERAGE = 0.95;
const ROOT_TYPES = new Set(['Query', 'Mutation']);

type Kinds = 'types' | 'fields' | 'arguments' | 'input fields' | 'enum values';

interface Coverage {
  described: Record<Kinds, number>;
  total: Record<Kinds, number>;
  undescribed: string[];
}

const described = (node: { description?: StringValueNode | undefined }) =>
  (node.description?.value.trim().length ?? 0) > 0;

/** Counts described elements of a subgraph's own SDL (root types are containers, not counted). */
function coverageOf(typeDefs: DocumentNode): Coverage {
  const zero = () => ({ types: 0, fields: 0, arguments: 0, 'input fields': 0, 'enum values': 0 });
  const coverage: Coverage = { described: zero(), total: zero(), undescribed: [] };
  const count = (kind: Kinds, name: string, node: { description?: StringValueNode }) => {
    coverage.total[kind] += 1;
    if (described(node)) coverage.described[kind] += 1;
    else coverage.undescribed.push(`${kind}: ${name}`);
  };
  for (const definition of typeDefs.definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION: {
        const type = definition.name.value;
        if (!ROOT_TYPES.has(type) && definition.kind === Kind.OBJECT_TYPE_DEFINITION)
          count('types', type, definition);
        for (const field of definition.fields ?? []) {
          count('fields', `${type}.${field.name.value}`, field);
          for (const argument of field.arguments ?? [])
            count('arguments', `${type}.${field.name.value}(${argument.name.value})`, argument);
        }
        break;
      }
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
        count('types', definition.name.value, definition);
        for (const field of definition.fields ?? [])
          count('input fields', `${definition.name.value}.${field.name.value}`, field);
        break;
      case Kind.ENUM_TYPE_DEFINITION:
        count('types', definition.name.value, definition);
        for (const value of definition.values ?? [])
          count('enum values', `${definition.name.value}.${value.name.value}`, value);
        break;
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.UNION_TYPE_DEFINITION:
        count('types', definition.name.value, definition);
        break;
      default:
      // Directive definitions and `extend schema @link` are not the graph's own vocabulary.
    }
  }
  return coverage;
}

const stringList = (directive: ConstDirectiveNode, name: string): string[] | null => {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  if (value?.kind !== Kind.LIST) return null;
  return value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []));
};

/** Root fields whose description's "Roles: …." sentence disagrees with their @access roles. */
function rolesMismatches(typeDefs: DocumentNode): string[] {
  const problems: string[] = [];
  visit(typeDefs, {
    ObjectTypeDefinition(type) {
      if (!ROOT_TYPES.has(type.name.value)) return;
      for (const field of type.fields ?? []) {
        const access = field.directives?.find((d) => d.name.value === 'access');
        const name = `${type.name.value}.${field.name.value}`;
        const text = field.description?.value ?? '';
        const sentence = /Roles: ([^.]*)\./.exec(text);
        const declared = access ? (stringList(access, 'roles') ?? []) : [];
        const isPublic = access?.arguments?.some(
          (a) => a.name.value === 'public' && a.value.kind === Kind.BOOLEAN && a.value.value,
        );
        if (isPublic) {
          if (!/Public/.test(text))
            problems.push(`${name}: public, and its description must say so`);
          continue;
        }
        if (!sentence) {
          problems.push(`${name}: no "Roles: …." sentence`);
          continue;
        }
        const written = sentence[1]!.split(',').map((r) => r.trim());
        if (written.join(', ') !== declared.join(', '))
          problems.push(`${name}: says "${written.join(', ')}", declares "${declared.join(', ')}"`);
      }
    },
  });
  return problems;
}

const subgraphs = readSubgraphs(REPO_ROOT);

describe.each(['complaint', 'inventory'])('the %s subgraph documents itself', (name) => {
  const subgraph = subgraphs.find((s) => s.name === name);
  if (!subgraph) throw new Error(`no subgraph ${name}`);

  it('describes at least 95 % of its types, fields, arguments, input fields and enum values', () => {
    const { described: yes, total, undescribed } = coverageOf(subgraph.typeDefs);
    const below = (Object.keys(total) as Kinds[]).filter(
      (kind) => total[kind] > 0 && yes[kind] / total[kind] < MIN_COVERAGE,
    );
    expect({ below, undescribed: below.length ? undescribed : [] }).toEqual({
      below: [],
      undescribed: [],
    });
  });

  it('says on every root field which roles may call it, as its @access declares', () => {
    expect(rolesMismatches(subgraph.typeDefs)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('count what is undescribed and catch a Roles sentence that drifted from @access', async () => {
    const { parse } = await import('graphql');
    const typeDefs = parse(`
      "An order." type Order { "Its id." id: ID! lines(first: Int): [String!]! }
      type Query {
        "Orders. Roles: agent, manager."
        orders: [Order!]! @access(roles: ["agent", "manager"])
        "One order. Roles: agent."
        order(id: ID!): Order @access(roles: ["manager"])
      }
      enum Colour { "Red." RED BLUE }
    `);
    const { described: yes, total } = coverageOf(typeDefs);
    expect(total).toEqual({
      types: 2,
      fields: 4,
      arguments: 2,
      'input fields': 0,
      'enum values': 2,
    });
    expect(yes).toEqual({ types: 1, fields: 3, arguments: 0, 'input fields': 0, 'enum values': 1 });
    expect(rolesMismatches(typeDefs)).toEqual(['Query.order: says "agent", declares "manager"']);
  });
});
