import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isRole, type Role } from '@aftercare/kit';
import {
  buildSchema,
  Kind,
  parse,
  print,
  validate,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { REPO_ROOT } from './subgraphs';

/** Example operations per front end (issue 13): one file per front end. */
export const EXAMPLES_DIR = join(REPO_ROOT, 'docs', 'examples');

export interface ExampleOperation {
  name: string;
  type: OperationDefinitionNode['operation'];
  /** The operation with the fragments it uses, ready to send. */
  text: string;
}

export interface ExampleFile {
  /** The file name without `.graphql`, e.g. `dispatch-board`. */
  frontEnd: string;
  /** The role the front end's users hold (`# Role: dispatcher`); null for `# Role: public`. */
  role: Role | null;
  document: DocumentNode;
  operations: ExampleOperation[];
}

/** The fragments an operation spreads, directly or through other fragments. */
function fragmentsOf(
  node: OperationDefinitionNode | FragmentDefinitionNode,
  all: ReadonlyMap<string, FragmentDefinitionNode>,
  found = new Map<string, FragmentDefinitionNode>(),
): Map<string, FragmentDefinitionNode> {
  visit(node, {
    FragmentSpread(spread) {
      const fragment = all.get(spread.name.value);
      if (!fragment || found.has(spread.name.value)) return;
      found.set(spread.name.value, fragment);
      fragmentsOf(fragment, all, found);
    },
  });
  return found;
}

/** Reads one example file; throws when its role header is missing or names no role. */
export function readExampleFile(path: string): ExampleFile {
  const source = readFileSync(path, 'utf8');
  const header = /^# Role: (\S+)\s*$/m.exec(source)?.[1];
  if (header === undefined || (header !== 'public' && !isRole(header)))
    throw new Error(`${path}: needs a "# Role: <role>" (or "# Role: public") header line`);
  const document = parse(source);
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const operations = document.definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((op) => {
      if (!op.name) throw new Error(`${path}: every example operation needs a name`);
      return {
        name: op.name.value,
        type: op.operation,
        text: [op, ...fragmentsOf(op, fragments).values()].map((d) => print(d)).join('\n\n'),
      };
    });
  return {
    frontEnd: basename(path, '.graphql'),
    role: header === 'public' ? null : header,
    document,
    operations,
  };
}

export function readExamples(dir = EXAMPLES_DIR): ExampleFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readExampleFile(join(dir, f)));
}

/** graphql-js validation errors of every example against `schemaSdl`, as `file: message`. */
export function exampleErrors(files: readonly ExampleFile[], schemaSdl: string): string[] {
  const schema: GraphQLSchema = buildSchema(schemaSdl);
  return files.flatMap((f) =>
    validate(schema, f.document).map((e) => `${f.frontEnd}.graphql: ${e.message}`),
  );
}
