import { breakingChanges } from './compat';
import { SCHEMA_DIR } from './generate';

/**
 * Breaking changes of the generated schemas against published ones (`published(path)` gives a
 * file's published text, undefined when it was never published: a new event or version).
 */
export function incompatibilities(
  files: Map<string, string>,
  published: (path: string) => string | undefined,
): string[] {
  const problems: string[] = [];
  for (const [path, text] of files) {
    if (!path.startsWith(`${SCHEMA_DIR}/`)) continue;
    const before = published(path);
    if (before === undefined) continue;
    for (const problem of breakingChanges(JSON.parse(before), JSON.parse(text)))
      problems.push(`${path}: ${problem}`);
  }
  return problems;
}

export const BREAKING_HINT =
  'A breaking change of an event needs a new version: declare it with the next `version` (keeping the published one) instead of changing the schema in place (docs/adr/0018).';
