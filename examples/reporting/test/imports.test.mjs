// The job is an example for reporting teams outside the project: it may use only its declared
// dependencies and Node's own modules, never the project's packages.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = new URL('..', import.meta.url).pathname;
const ALLOWED = new Set(
  Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies),
);
// Specifiers of static imports and re-exports, bare imports and dynamic imports.
const SPECIFIER =
  /^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/gm;
/^\s*(?:import|export)\b[^'"]*?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/gm;

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'node_modules'
        ? []
        : sources(join(dir, e.name))
      : /\.(mjs|js|ts)$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}

test('imports only its own dependencies, Node built-ins and its own files', () => {
  const offending = [];
  for (const file of sources(ROOT))
    for (const [, from, bare, dynamic] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const spec = from ?? bare ?? dynamic;
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (spec.startsWith('.') || spec.startsWith('node:') || ALLOWED.has(pkg)) continue;
      offending.push(`${file.slice(ROOT.length)}: ${spec}`);
    }
  assert.deepEqual(offending, []);
});

test('declares no project package', () => {
  assert.deepEqual(
    [...ALLOWED].filter((d) => d.startsWith('@aftercare/')),
    [],
  );
});
