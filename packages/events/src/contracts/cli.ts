import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BREAKING_HINT, incompatibilities } from './check';
import { formatFiles, REPO_ROOT } from './format';
import { CATALOGUE_PATH, contractFiles } from './generate';

/**
 * `npm run docs:events`: writes the event contracts generated from the declarations. It refuses
 * to overwrite a published schema with a breaking change (the test does the same against git).
 */
const read = (path: string): string | undefined => {
  const file = resolve(REPO_ROOT, path);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
};

const files = formatFiles(contractFiles(read(CATALOGUE_PATH) ?? ''));
const problems = incompatibilities(files, read);
if (problems.length) {
  console.error([...problems, BREAKING_HINT].join('\n'));
  process.exit(1);
}
for (const [path, text] of files) {
  const file = resolve(REPO_ROOT, path);
  mkdirSync(dirname(file), { recursive: true });
  if (read(path) !== text) {
    writeFileSync(file, text);
    console.log(`wrote ${path}`);
  }
}
