import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientSchema } from '../src/client-schema';
import { composeSupergraph } from '../src/compose';
import { parse } from 'graphql';
import {
  readApprovedChanges,
  reviewSchema,
  runSchemaCheck,
  type ApprovedChange,
} from '../src/schema-changes';

const PUBLISHED = `
  type Query {
    workOrder(id: ID!): WorkOrder
    legacyBoard: [WorkOrder!]! @deprecated(reason: "Use dispatchBoard")
  }
  type WorkOrder {
    id: ID!
    number: String!
    "Free text, as the agent typed it."
    fault: String
  }
`;
const summary = async (current: string, approved: ApprovedChange[] = []) => {
  const review = await reviewSchema(PUBLISHED, current, approved);
  return {
    unapproved: review.unapproved.map((c) => `${c.type} ${c.path}`),
    stale: review.stale.map((a) => `${a.type} ${a.path}`),
    dangerous: review.dangerous.map((c) => `${c.type} ${c.path}`),
  };
};
const clean = { unapproved: [], stale: [], dangerous: [] };

describe('breaking-change check of the client schema (issue 13, ADR 0020)', () => {
  it('additions and description changes break nobody', async () => {
    const current = PUBLISHED.replace(
      'id: ID!\n    number',
      'id: ID!\n    priority: Int\n    number',
    ).replace('Free text, as the agent typed it.', 'What the customer reported.');
    expect(await summary(current)).toEqual(clean);
  });

  it('removing or retyping a field, or making an argument required, is breaking unless approved', async () => {
    const removed = PUBLISHED.replace('number: String!', '');
    expect(await summary(removed)).toEqual({
      ...clean,
      unapproved: ['FIELD_REMOVED WorkOrder.number'],
    });
    const retyped = PUBLISHED.replace('fault: String', 'fault: Int');
    expect((await summary(retyped)).unapproved).toEqual(['FIELD_TYPE_CHANGED WorkOrder.fault']);
    const nullable = PUBLISHED.replace('number: String!', 'number: String');
    expect((await summary(nullable)).unapproved).toEqual(['FIELD_TYPE_CHANGED WorkOrder.number']);
    const newArgument = PUBLISHED.replace('workOrder(id: ID!)', 'workOrder(id: ID!, site: ID!)');
    expect((await summary(newArgument)).unapproved).toEqual([
      'FIELD_ARGUMENT_ADDED Query.workOrder.site',
    ]);
    const approval = {
      type: 'FIELD_REMOVED',
      path: 'WorkOrder.number',
      reason: 'No front end reads it; agreed with the call-centre team.',
    };
    expect(await summary(removed, [approval])).toEqual(clean);
  });

  it('removing a field deprecated in the published schema needs no approval: deprecation first', async () => {
    const current = PUBLISHED.replace(/legacyBoard.*\n/, '\n');
    // Shown, as clients still sending it will fail, but not refused.
    expect(await summary(current)).toEqual({
      ...clean,
      dangerous: ['FIELD_REMOVED Query.legacyBoard'],
    });
  });

  it('an approval matching no change is reported, so the list cannot rot', async () => {
    const stale = {
      type: 'FIELD_REMOVED',
      path: 'WorkOrder.fault',
      reason: 'Replaced by symptoms.',
    };
    expect(await summary(PUBLISHED, [stale])).toEqual({
      ...clean,
      stale: ['FIELD_REMOVED WorkOrder.fault'],
    });
  });

  it('approvals need a type, a path and a reason; a missing file approves nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aftercare-schema-'));
    const file = join(dir, 'approved.json');
    expect(readApprovedChanges(file)).toEqual([]);
    writeFileSync(file, JSON.stringify([{ type: 'FIELD_REMOVED', path: 'WorkOrder.number' }]));
    expect(() => readApprovedChanges(file)).toThrow(/0\.reason: /);
    writeFileSync(file, JSON.stringify([{ type: 'FIELD_REMOVED', path: 'X.y', reason: 'ok' }]));
    expect(() => readApprovedChanges(file)).toThrow(/must say why the break is acceptable/);
  });

  it('the CLI fails on an unapproved break and passes after publishing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aftercare-schema-'));
    const files = {
      current: join(dir, 'schema.graphql'),
      published: join(dir, 'schema.published.graphql'),
      approved: join(dir, 'approved.json'),
    };
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      writeFileSync(files.published, PUBLISHED);
      writeFileSync(files.current, PUBLISHED.replace('number: String!', ''));
      expect(await runSchemaCheck([], files)).toBe(1);
      expect(error).toHaveBeenCalledWith(
        expect.stringContaining('breaking, not approved: FIELD_REMOVED WorkOrder.number'),
      );
      expect(await runSchemaCheck(['--publish'], files)).toBe(0);
      expect(readFileSync(files.published, 'utf8')).toBe(readFileSync(files.current, 'utf8'));
      expect(readFileSync(files.approved, 'utf8')).toBe('[]\n');
      expect(await runSchemaCheck([], files)).toBe(0);
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  });

  it('the client schema carries no federation machinery, but keeps descriptions and deprecations', () => {
    const sdl = composeSupergraph([
      {
        name: 'orders',
        url: 'http://127.0.0.1:1/graphql',
        typeDefs: parse(`
          extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])
          type Query { order(id: ID!): Order }
          "A work order."
          type Order @key(fields: "id") { id: ID! code: String @deprecated(reason: "Use id") }
        `),
      },
    ]);
    const schema = clientSchema(sdl);
    expect(schema).not.toMatch(/join__|link__|@link|@key|@shareable|federation/);
    expect(schema).toContain('"""A work order."""');
    expect(schema).toContain('code: String @deprecated(reason: "Use id")');
  });

  it('the checked-in client schema breaks nothing published without approval (CI)', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const code = await runSchemaCheck([]);
      expect(error.mock.calls.map((c) => String(c[0]))).toEqual([]);
      expect(code).toBe(0);
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  });
});
