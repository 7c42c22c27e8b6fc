import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (this file is at packages/events/{src,dist}/contracts). */
export const REPO_ROOT = resolve(__dirname, '../../../..');

// Prettier loads itself as an ES module, which jest's CommonJS runtime cannot: one child process
// formats every file, with the repository's settings, as `prettier --check .` expects them.
const FORMAT = `
(async () => {
  const prettier = await import('prettier');
  const files = JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'));
  const out = {};
  for (const [path, text] of Object.entries(files)) {
    const options = (await prettier.resolveConfig(path)) ?? {};
    out[path] = await prettier.format(text, { ...options, filepath: path });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`;

/** Formats repository-relative `files` with the repository's prettier. */
export function formatFiles(files: Map<string, string>): Map<string, string> {
  const input = Object.fromEntries(
    [...files].map(([path, text]) => [resolve(REPO_ROOT, path), text]),
  );
  // A file, not stdin: a child of jest cannot always read its stdin synchronously.
  const dir = mkdtempSync(join(tmpdir(), 'event-contracts-'));
  let output: string;
  try {
    const inputFile = join(dir, 'files.json');
    writeFileSync(inputFile, JSON.stringify(input));
    output = execFileSync(process.execPath, ['-e', FORMAT, inputFile], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const formatted = JSON.parse(output) as Record<string, string>;
  return new Map([...files.keys()].map((path) => [path, formatted[resolve(REPO_ROOT, path)]!]));
}
