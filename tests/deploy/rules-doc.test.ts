import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Rule ids (R-WO-3 …) are cited by schema descriptions, docs, source and test names so a reader can
// look them up in docs/rules.md; an id cited anywhere but defined nowhere is a dead reference.
const ROOT = join(__dirname, '..', '..');
const RULES = 'docs/rules.md';
const ID = /\bR-[A-Z]{2}-\d+\b/g;

function repositoryFiles(): string[] {
  // Tracked and new (not ignored) files: what a commit would hold, without node_modules or builds.
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
    .split('\0')
    .filter((f) => f && !f.endsWith('package-lock.json'));
}

function definedIds(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(join(ROOT, RULES), 'utf8').split('\n')) {
    const id = /^#{2,4} (R-[A-Z]{2}-\d+)\s*$/.exec(line)?.[1];
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe('docs/rules.md', () => {
  it('defines every rule id cited anywhere in the repository as its own heading', () => {
    const defined = definedIds();
    const missing = new Map<string, string>();
    for (const file of repositoryFiles()) {
      let text: string;
      try {
        text = readFileSync(join(ROOT, file), 'utf8');
      } catch {
        continue; // listed but deleted in the work tree
      }
      for (const id of text.match(ID) ?? [])
        if (!defined.has(id) && !missing.has(id)) missing.set(id, file);
    }
    expect(Object.fromEntries(missing)).toEqual({});
  });

  it('defines each id once', () => {
    expect([...definedIds()].filter(([, n]) => n > 1)).toEqual([]);
  });
});
