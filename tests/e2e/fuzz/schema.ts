import { readFileSync } from 'node:fs';
import { SUPERGRAPH_FILE } from '@aftercare/gateway';
import { Supergraph } from '@apollo/federation-internals';
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isLeafType,
  isNonNullType,
  isObjectType,
} from 'graphql';

/** One root field of the client schema, with the selection a fuzz case asks for. */
export interface RootOperation {
  kind: 'query' | 'mutation';
  name: string;
  args: readonly GraphQLArgument[];
  /** `''` for a leaf result, else ` { __typename … }`. */
  selection: string;
}

/**
 * The schema front ends see: the API schema of the checked-in supergraph (federation's join__ and
 * link__ machinery removed), so a root field added to any subgraph is fuzzed without a change here.
 */
export function clientSchema(): GraphQLSchema {
  return Supergraph.build(readFileSync(SUPERGRAPH_FILE, 'utf8')).apiSchema().toGraphQLJSSchema();
}

export function rootOperations(schema: GraphQLSchema): RootOperation[] {
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const;
  return roots.flatMap(([kind, type]) =>
    Object.values(type?.getFields() ?? {}).map((f) => ({
      kind,
      name: f.name,
      args: f.args,
      selection: selectionOf(f.type, 0),
    })),
  );
}

// Enough of the result to make every subgraph on the path resolve and serialize real values
// (dates, enums, money), small enough to keep the cost limit and response sizes out of the way.
const MAX_LEAVES = 8;
const MAX_OBJECTS = 2;
const MAX_DEPTH = 2;

const callableWithoutArgs = (f: GraphQLField<unknown, unknown>) =>
  f.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined);

/** `__typename` plus the scalar fields; objects without scalars are followed one level further. */
function selectionOf(type: GraphQLOutputType, depth: number): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (isAbstractType(named) || !isObjectType(named)) return ' { __typename }';
  const fields = Object.values(named.getFields()).filter(callableWithoutArgs);
  const leaves = fields.filter((f) => isLeafType(getNamedType(f.type))).slice(0, MAX_LEAVES);
  const nested =
    leaves.length > 0 || depth >= MAX_DEPTH
      ? []
      : fields
          .filter((f) => !isLeafType(getNamedType(f.type)))
          .slice(0, MAX_OBJECTS)
          .map((f) => `${f.name}${selectionOf(f.type, depth + 1)}`);
  return ` { ${['__typename', ...leaves.map((f) => f.name), ...nested].join(' ')} }`;
}
