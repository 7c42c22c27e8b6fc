import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse, type DocumentNode } from 'graphql';
import { clientSchema } from './client-schema';
import { REPO_ROOT, SUBGRAPHS, SUPERGRAPH_FILE, type SubgraphEntry } from './subgraphs';

export interface SubgraphSource {
  name: string;
  url: string;
  typeDefs: DocumentNode;
}

export class CompositionError extends Error {
  constructor(readonly problems: string[]) {
    super(`Supergraph composition failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CompositionError';
  }
}

/** The subgraphs whose schema file exists (services are added one at a time). */
export function readSubgraphs(
  root = REPO_ROOT,
  entries: readonly SubgraphEntry[] = SUBGRAPHS,
): SubgraphSource[] {
  return entries
    .filter((e) => existsSync(join(root, e.schemaPath)))
    .map((e) => {
      const file = join(root, e.schemaPath);
      try {
        return { name: e.name, url: e.defaultUrl, typeDefs: parse(readFileSync(file, 'utf8')) };
      } catch (err) {
        throw new CompositionError([`${relative(root, file)}: ${(err as Error).message}`]);
      }
    });
}

/** Composes the supergraph SDL, or throws a CompositionError listing every problem. */
export function composeSupergraph(subgraphs: readonly SubgraphSource[]): string {
  if (subgraphs.length === 0)
    throw new CompositionError([
      'no subgraph schema found (services/*/src/graphql/schema.graphql)',
    ]);
  const result = composeServices([...subgraphs]);
  if (result.errors) throw new CompositionError(result.errors.map((e) => e.message));
  return `${result.supergraphSdl.trimEnd()}\n`;
}

export type CheckResult = { ok: true } | { ok: false; problem: string };

/** Whether a checked-in generated file (`current`, null when missing) is what generation gives now. */
export function checkGenerated(
  current: string | null,
  composed: string,
  what = 'the supergraph file',
): CheckResult {
  if (current === null) return { ok: false, problem: `${what} is missing` };
  if (current !== composed) return { ok: false, problem: `${what} is stale` };
  return { ok: true };
}

/**
 * `npm run compose -w @aftercare/gateway [-- --check]`: the supergraph `file` and, beside it, the
 * client schema (`schema.graphql`, the API schema front ends code against). Returns the exit code.
 */
export function runCompose(
  args: readonly string[],
  root = REPO_ROOT,
  file = SUPERGRAPH_FILE,
): number {
  const check = args.includes('--check');
  let composed: string;
  let schema: string;
  try {
    const subgraphs = readSubgraphs(root);
    composed = composeSupergraph(subgraphs);
    schema = clientSchema(composed);
    console.log(
      `composed ${subgraphs.length} subgraph(s): ${subgraphs.map((s) => s.name).join(', ')}`,
    );
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  }
  const outputs = [
    { path: file, text: composed, what: 'the supergraph file' },
    { path: join(dirname(file), 'schema.graphql'), text: schema, what: 'the client schema file' },
  ];
  if (!check) {
    for (const { path, text } of outputs) {
      writeFileSync(path, text);
      console.log(`wrote ${relative(root, path)}`);
    }
    return 0;
  }
  let code = 0;
  for (const { path, text, what } of outputs) {
    const shown = relative(root, path);
    const result = checkGenerated(existsSync(path) ? readFileSync(path, 'utf8') : null, text, what);
    if (result.ok) {
      console.log(`${shown} is up to date`);
      continue;
    }
    console.error(
      `${shown}: ${result.problem}; run \`npm run compose -w @aftercare/gateway\` and commit it`,
    );
    code = 1;
  }
  return code;
}

if (require.main === module) process.exitCode = runCompose(process.argv.slice(2));
