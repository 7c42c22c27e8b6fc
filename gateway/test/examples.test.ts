import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { isPublicOnly } from '../src/auth';
import { CLIENT_SCHEMA_FILE } from '../src/client-schema';
import { exampleErrors, readExamples } from '../src/examples';

/** SPEC §7's front ends, plus the customers' survey-link page. */
const FRONT_ENDS = {
  'call-centre': 'agent',
  'dispatch-board': 'dispatcher',
  'technician-app': 'technician',
  warehouse: 'warehouse',
  'customer-relations': 'customer_relations',
  'manager-dashboard': 'manager',
  'survey-page': null,
};

describe('example operations per front end (issue 13, docs/examples)', () => {
  const files = readExamples();

  it('one file per front end, each with the role its users hold and several named operations', () => {
    expect(Object.fromEntries(files.map((f) => [f.frontEnd, f.role]))).toEqual(FRONT_ENDS);
    for (const f of files) expect(f.operations.length).toBeGreaterThanOrEqual(2);
    // The e2e test runs them by name: names are unique across front ends.
    const names = files.flatMap((f) => f.operations.map((o) => o.name));
    expect(names.length).toBe(new Set(names).size);
  });

  it('every example is valid against the published client schema (gateway/schema.graphql)', () => {
    expect(exampleErrors(files, readFileSync(CLIENT_SCHEMA_FILE, 'utf8'))).toEqual([]);
  });

  it('the survey page uses only what anonymous callers may use (R-SV-1)', () => {
    const page = files.find((f) => f.frontEnd === 'survey-page')!;
    for (const op of page.operations)
      expect([op.name, isPublicOnly(op.text)]).toEqual([op.name, true]);
  });

  it('a broken example is reported with its file', () => {
    const broken = {
      frontEnd: 'x',
      role: null,
      document: parse('query X { nope }'),
      operations: [],
    };
    expect(exampleErrors([broken], readFileSync(CLIENT_SCHEMA_FILE, 'utf8'))).toEqual([
      'x.graphql: Cannot query field "nope" on type "Query".',
    ]);
  });
});
