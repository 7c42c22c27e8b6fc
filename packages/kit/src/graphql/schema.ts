import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';

/**
 * Reads a subgraph's SDL file. By convention it is `services/<name>/src/graphql/schema.graphql`,
 * a file rather than a string in code, so the gateway composes the supergraph from it at build
 * time. Syntax errors name the file.
 */
export function loadTypeDefs(path: string): DocumentNode {
  const sdl = readFileSync(path, 'utf8');
  try {
    return parse(sdl);
  } catch (err) {
    throw new Error(`Cannot parse GraphQL schema ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
