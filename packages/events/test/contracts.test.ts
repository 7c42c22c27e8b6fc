import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { eventCatalogue, schemaFileOf } from '../src';
import { BREAKING_HINT, incompatibilities } from '../src/contracts/check';
import { formatFiles, REPO_ROOT } from '../src/contracts/format';
import {
  ASYNCAPI_PATH,
  CATALOGUE_PATH,
  contractFiles,
  SCHEMA_DIR,
} from '../src/contracts/generate';

// Issue 13: the published contracts are generated from the declarations and checked here, so
// they cannot drift (`npm run docs:events -w @aftercare/events` rewrites them).
const read = (path: string): string | undefined => {
  const file = resolve(REPO_ROOT, path);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
};

const generated = formatFiles(contractFiles(read(CATALOGUE_PATH) ?? ''));

const git = (...args: string[]): string | undefined => {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: 'pipe' });
  } catch {
    return undefined;
  }
};

/**
 * The last published state: `EVENT_CONTRACTS_BASELINE` if set, else where this branch left
 * `main` (on `main` itself, the previous commit).
 */
function baselineRef(): string {
  const configured = process.env.EVENT_CONTRACTS_BASELINE;
  if (configured) return configured;
  const head = git('rev-parse', 'HEAD')?.trim();
  const base = git('merge-base', 'HEAD', 'main')?.trim();
  const ref = base && base !== head ? base : git('rev-parse', 'HEAD^')?.trim();
  if (!ref)
    throw new Error(
      'No published state to compare the event schemas with: set EVENT_CONTRACTS_BASELINE to a git ref',
    );
  return ref;
}

describe('published event contracts', () => {
  it('cover every declared event, once per type and version', () => {
    const files = eventCatalogue.map(schemaFileOf);
    expect(new Set(files).size).toBe(files.length);
    for (const file of files) expect(generated.has(`${SCHEMA_DIR}/${file}`)).toBe(true);
  });

  it('are committed as generated from the declarations', () => {
    const stale = [...generated].filter(([path, text]) => read(path) !== text).map(([p]) => p);
    expect(stale).toEqual([]);
  });

  it('are a valid AsyncAPI 3 document for a maintained parser', async () => {
    const { document, diagnostics } = await new Parser().parse(generated.get(ASYNCAPI_PATH)!);
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => d.message);
    expect(errors).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    expect(document?.channels().length).toBe(eventCatalogue.length);
  });

  it('change no published schema in a breaking way (a breaking change needs a new version)', () => {
    const ref = baselineRef();
    const problems = incompatibilities(generated, (path) => git('show', `${ref}:${path}`));
    if (problems.length) throw new Error([...problems, BREAKING_HINT].join('\n'));
  });
});
