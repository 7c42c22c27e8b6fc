import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { BEGIN, configReference, configRows, END, README } from './support/config-reference';

// Issue 10 point 7: deploy/README.md's configuration reference is generated from the processes'
// own config schemas, so it cannot drift. `UPDATE_CONFIG_REFERENCE=1 npx jest
// deploy/config-reference.test.ts` (in tests/) rewrites it after a schema change.
function expectedReadme(current: string): string {
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${README} lacks the ${BEGIN} … ${END} markers`);
  const next = `${current.slice(0, start + BEGIN.length)}\n\n${configReference()}\n\n${current.slice(end)}`;
  // The repository's formatter, as `npm test` checks it (in a process: it loads itself as ESM).
  return execFileSync(
    process.execPath,
    [require.resolve('prettier/bin/prettier.cjs'), '--stdin-filepath', README],
    {
      input: next,
      encoding: 'utf8',
    },
  );
}

describe('configuration reference', () => {
  it('every variable of every config schema has a meaning (a comment in the schema or the generator)', () => {
    expect(
      configRows()
        .filter((r) => !r.meaning)
        .map((r) => r.name),
    ).toEqual([]);
  });

  it('deploy/README.md carries the reference of the current schemas', () => {
    const current = readFileSync(README, 'utf8');
    const expected = expectedReadme(current);
    if (process.env.UPDATE_CONFIG_REFERENCE) writeFileSync(README, expected);
    else expect(current).toBe(expected);
  });
});
