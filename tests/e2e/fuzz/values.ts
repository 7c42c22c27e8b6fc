import fc from 'fast-check';
import {
  type GraphQLInputField,
  type GraphQLInputType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import {
  deepList,
  HOSTILE_DATES,
  HOSTILE_INSTANTS,
  HOSTILE_INTS,
  hostileString,
  NOT_NUMBERS,
  unknownUuid,
} from './hostile';
import type { IdPools, PoolName } from './world';

/**
 * fast-check arbitraries for GraphQL input values, derived from the argument's type and name:
 * mostly what a front end would send (real ids, plausible text, enum values, dates near today),
 * mixed with what an attacker would (./hostile), so both the validation and the code behind it
 * are reached.
 */
export interface ValueGenerator {
  /** A value for an argument or input field named `name` of `type`, `context` naming where it sits. */
  value(type: GraphQLInputType, name: string, context: string): fc.Arbitrary<unknown>;
}

/** Argument and field names that point at a kind of object, tried in order. */
const POOL_HINTS: readonly [RegExp, PoolName][] = [
  [/followUp/i, 'followUp'],
  [/token/i, 'surveyToken'],
  [/survey/i, 'survey'],
  [/claimOrder/i, 'claimOrder'],
  [/complaint/i, 'complaint'],
  [/requisition/i, 'requisition'],
  [/penalty/i, 'penalty'],
  [/ruleCode/i, 'ruleCode'],
  [/loan/i, 'loan'],
  [/tool/i, 'tool'],
  [/warehouse/i, 'warehouse'],
  [/part/i, 'part'],
  [/workOrder/i, 'workOrder'],
  [/asset/i, 'asset'],
  [/customer|owner/i, 'customer'],
  [/station/i, 'station'],
  [/staff|technician|handler|lead|advisor|borrower|returnedBy|handedOverBy/i, 'staff'],
];

/** Names that say nothing by themselves; the root field or input type around them does. */
const GENERIC_NAME = /^(id|ids|code|codes)$/;

export function poolFor(name: string, context: string): PoolName | undefined {
  const subject = GENERIC_NAME.test(name) ? context : name;
  return POOL_HINTS.find(([pattern]) => pattern.test(subject))?.[1];
}

const validMonths = fc
  .tuple(fc.integer({ min: 2024, max: 2027 }), fc.integer({ min: 1, max: 12 }))
  .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);
const badMonths = fc.constantFrom('2026-13', '2026-00', '0000-01', '9999-12', '2026-1', '202611');

const dayMs = 86_400_000;
/** Within about a year of today; instants in the past (several inputs may not lie ahead). */
const dayNearToday = fc
  .integer({ min: -400, max: 400 })
  .map((days) => new Date(Date.now() + days * dayMs).toISOString().slice(0, 10));
const recentInstant = fc
  .tuple(fc.integer({ min: 60_000, max: 400 * dayMs }), fc.boolean())
  .map(([ago, shanghai]) => {
    const at = new Date(Date.now() - ago);
    return shanghai
      ? new Date(at.getTime() + 8 * 3_600_000).toISOString().replace('Z', '+08:00')
      : at.toISOString();
  });

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

/** Text a careful client would send for a field of this name. */
export function plausibleText(name: string): fc.Arbitrary<string> {
  if (/mobile|phone/i.test(name))
    return fc.oneof(fc.constantFrom('13800007777', '+86 138 0000 7777'), digits(5, 14));
  if (/vin/i.test(name))
    return fc.oneof(
      fc.constant('LSVFZ4187E2100777'),
      fc.string({
        unit: fc.constantFrom(...'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'),
        minLength: 17,
        maxLength: 17,
      }),
    );
  if (/plate/i.test(name)) return fc.constantFrom('浙A12345', '浙a·s7001', 'A');
  if (/month/i.test(name)) return validMonths;
  if (/province/i.test(name)) return fc.constantFrom('Zhejiang', 'Jiangsu', '浙江省');
  if (/city/i.test(name)) return fc.constantFrom('Hangzhou', 'Suzhou');
  if (/district/i.test(name)) return fc.constantFrom('Xihu', 'Gusu');
  if (/email/i.test(name)) return fc.constantFrom('owner@example.cn', 'not-an-email');
  if (/postal/i.test(name)) return digits(6, 6);
  if (/category/i.test(name)) return fc.constantFrom('ELECTRICAL', 'MECHANICAL', 'BODY');
  return fc.oneof(
    fc.constantFrom('fuzz text', 'battery does not charge', '客户不满意'),
    fc.string({ unit: 'grapheme', maxLength: 24 }),
  );
}

/** What a leaf of a type may be: what a careful client sends, and what an attacker sends. */
export interface Leaf {
  plausible: fc.Arbitrary<unknown>;
  hostile: fc.Arbitrary<unknown>;
}

function scalarLeaf(typeName: string, name: string, pool: readonly string[] | undefined): Leaf {
  const known = pool?.length ? fc.constantFrom(...pool) : undefined;
  switch (typeName) {
    case 'Int':
      return {
        plausible: fc.integer({ min: 0, max: 120 }),
        hostile: fc.constantFrom(-3, ...HOSTILE_INTS, ...NOT_NUMBERS),
      };
    case 'Float':
      return {
        plausible: fc.double({ min: 0, max: 500, noNaN: true }),
        hostile: fc.constantFrom(-1, ...HOSTILE_INTS, 5e-324, -0, ...NOT_NUMBERS),
      };
    case 'Boolean':
      return { plausible: fc.boolean(), hostile: fc.constantFrom<unknown>('true', 0, 1) };
    case 'Date':
      return {
        plausible: dayNearToday,
        hostile: fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_DATES) },
          { weight: 1, arbitrary: hostileString },
        ),
      };
    case 'DateTime':
      return {
        plausible: recentInstant,
        hostile: fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_INSTANTS) },
          { weight: 1, arbitrary: hostileString },
        ),
      };
    case 'ID':
      return {
        plausible: known ? fc.oneof({ weight: 4, arbitrary: known }, unknownUuid) : unknownUuid,
        hostile: fc.oneof(hostileString, fc.constantFrom(0, 12345, 2 ** 53)),
      };
    default:
      return {
        plausible: known
          ? fc.oneof({ weight: 2, arbitrary: known }, plausibleText(name))
          : plausibleText(name),
        hostile: /month/i.test(name) ? fc.oneof(badMonths, hostileString) : hostileString,
      };
  }
}

/**
 * How often a leaf is hostile. Calm cases are valid but for a stray value now and then, so they
 * get past validation into the domain and the database; stormy ones break many things at once.
 */
export type Mood = 'calm' | 'stormy';
const ODDS: Record<Mood, { plausible: number; hostile: number }> = {
  calm: { plausible: 40, hostile: 1 },
  stormy: { plausible: 2, hostile: 1 },
};

/** Input-object values nested deeper than this become null (no recursion without end). */
const MAX_INPUT_DEPTH = 5;

/** One of the leaf's values, hostile as often as the mood says. */
export const inMood = (leaf: Leaf, mood: Mood): fc.Arbitrary<unknown> =>
  fc.oneof(
    // A failing case shrinks a hostile value towards a plausible one: what is left is the culprit.
    { withCrossShrink: true },
    { weight: ODDS[mood].plausible, arbitrary: leaf.plausible },
    { weight: ODDS[mood].hostile, arbitrary: leaf.hostile },
  );

export function valueGenerator(pools: IdPools, mood: Mood): ValueGenerator {
  const either = (leaf: Leaf) => inMood(leaf, mood);

  const value = (
    type: GraphQLInputType,
    name: string,
    context: string,
    depth = 0,
  ): fc.Arbitrary<unknown> => {
    if (depth > MAX_INPUT_DEPTH) return fc.constant(null);
    if (isNonNullType(type))
      return either({
        plausible: presentValue(type.ofType, name, context, depth),
        hostile: fc.constant(null),
      });
    return fc.oneof(
      { withCrossShrink: true },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 6, arbitrary: presentValue(type, name, context, depth) },
    );
  };

  const presentValue = (
    type: GraphQLInputType,
    name: string,
    context: string,
    depth: number,
  ): fc.Arbitrary<unknown> => {
    if (isListType(type)) {
      const item = value(type.ofType, name, context, depth + 1);
      return either({
        plausible: fc.array(item, { maxLength: 3 }),
        hostile: fc.oneof(
          fc.array(item, { minLength: 20, maxLength: 60 }),
          item,
          item.map((v) => deepList(6, v)),
        ),
      });
    }
    if (isEnumType(type)) {
      const names = type.getValues().map((v) => v.name);
      return either({
        plausible: fc.constantFrom(...names),
        hostile: fc.constantFrom<unknown>(names[0]!.toLowerCase(), 'NOT_A_VALUE', '', 0),
      });
    }
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields());
      const where = `${context} ${type.name}`;
      const record = fc.record(
        Object.fromEntries(fields.map((f) => [f.name, value(f.type, f.name, where, depth + 1)])),
        { requiredKeys: fields.filter(isRequired).map((f) => f.name) },
      );
      return either({
        plausible: record,
        hostile: fc
          .tuple(record, fc.constantFrom<Tweak>('dropRequired', 'unknownField', 'scalar'))
          .map(([r, tweak]) => tweakObject(r, tweak, fields)),
      });
    }
    if (isScalarType(type)) return either(scalarLeaf(type.name, name, poolOf(name, context)));
    return value(type, name, context, depth);
  };

  const poolOf = (name: string, context: string) => {
    const pool = poolFor(name, context);
    return pool ? pools[pool] : undefined;
  };

  return { value: (type, name, context) => value(type, name, context) };
}

const isRequired = (f: GraphQLInputField) => isNonNullType(f.type) && f.defaultValue === undefined;

type Tweak = 'dropRequired' | 'unknownField' | 'scalar';

/** Breaks an input object the ways clients do: a required field missing, one too many, no object. */
function tweakObject(
  record: Record<string, unknown>,
  tweak: Tweak,
  fields: readonly GraphQLInputField[],
): unknown {
  switch (tweak) {
    case 'dropRequired': {
      const required = fields.find(isRequired);
      if (!required) return record;
      const { [required.name]: _dropped, ...rest } = record;
      return rest;
    }
    case 'unknownField':
      return { ...record, notAField: 'x' };
    case 'scalar':
      return 'not an object';
  }
}
