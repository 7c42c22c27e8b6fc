import { z } from 'zod';
import { breakingChanges } from '../src/contracts/compat';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input' });

const v1 = z.object({
  id: z.uuid(),
  kind: z.enum(['A', 'B']),
  count: z.number().int().min(0),
  note: z.string().nullable(),
});

const check = (next: z.ZodType) => breakingChanges(schema(v1), schema(next));

describe('schema compatibility within a version', () => {
  it('accepts the same schema, an optional field, a field with a default, a wider enum or type', () => {
    expect(check(v1)).toEqual([]);
    expect(check(v1.extend({ extra: z.string().optional() }))).toEqual([]);
    expect(check(v1.extend({ station: z.string().nullable().default(null) }))).toEqual([]);
    expect(check(v1.extend({ kind: z.enum(['A', 'B', 'C']) }))).toEqual([]);
    expect(check(v1.extend({ count: z.number().min(0) }))).toEqual([]);
    expect(check(v1.extend({ note: z.string().nullable().describe('why') }))).toEqual([]);
  });

  it('refuses a removed field', () => {
    expect(check(v1.omit({ note: true }))).toEqual(['(data).note: removed']);
  });

  it('refuses a newly required field', () => {
    expect(check(v1.extend({ station: z.string() }))).toEqual(['(data).station: newly required']);
  });

  it('refuses a narrowed type, enum, bound or format', () => {
    expect(check(v1.extend({ note: z.string() }))).toEqual([
      '(data).note: type narrowed (null no longer accepted)',
    ]);
    expect(check(v1.extend({ kind: z.enum(['A']) }))).toEqual([
      '(data).kind: enum values removed: B',
    ]);
    expect(check(v1.extend({ count: z.number().int().min(1) }))).toEqual([
      '(data).count: minimum narrowed to 1',
    ]);
    expect(check(v1.extend({ note: z.email().nullable() })).length).toBeGreaterThan(0);
    expect(check(v1.extend({ id: z.number() }))).toEqual(['(data).id: no longer accepts string']);
  });

  it('looks into nested objects and array items', () => {
    const old = z.object({ lines: z.array(z.object({ code: z.string(), qty: z.number() })) });
    const next = z.object({ lines: z.array(z.object({ code: z.string() })) });
    expect(breakingChanges(schema(old), schema(next))).toEqual(['(data).lines[].qty: removed']);
  });
});
