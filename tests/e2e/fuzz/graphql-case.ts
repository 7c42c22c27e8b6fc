import type { Role } from '@aftercare/kit';
import fc from 'fast-check';
import {
  type GraphQLInputType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
} from 'graphql';
import type { RootOperation } from './schema';
import type { Mood, ValueGenerator } from './values';

/** Who sends a case: a signed token's roles and subject, or nobody (null roles). */
export interface Caller {
  roles: Role[] | null;
  user: string;
}

/** One request to the gateway. */
export interface GraphQLCase {
  operation: string;
  kind: 'query' | 'mutation';
  document: string;
  variables: Record<string, unknown>;
  caller: Caller;
}

const LOWER_ROLES: readonly Role[] = [
  'agent',
  'dispatcher',
  'technician',
  'workshop',
  'warehouse',
  'tool_keeper',
  'customer_relations',
  'manager',
  'auditor',
];

/**
 * Mostly admins, so mutations pass the role checks and reach validation and the domain; some
 * staff with lower roles, a few anonymous callers, and subjects that are not plain ASCII.
 */
export const callers: fc.Arbitrary<Caller> = fc.record({
  roles: fc.oneof(
    { withCrossShrink: true },
    { weight: 14, arbitrary: fc.constant<Role[]>(['admin']) },
    { weight: 4, arbitrary: fc.constantFrom(...LOWER_ROLES).map((r): Role[] => [r]) },
    {
      weight: 1,
      arbitrary: fc.uniqueArray(fc.constantFrom(...LOWER_ROLES), { minLength: 2, maxLength: 3 }),
    },
    { weight: 1, arbitrary: fc.constant(null) },
  ),
  user: fc.oneof(
    { withCrossShrink: true },
    { weight: 12, arbitrary: fc.constantFrom('fz-admin', 'fz-tech', 'fz-lead') },
    { weight: 1, arbitrary: fc.constantFrom('张三', 'ümlaut', 'o\'brien "x"', 'x'.repeat(300)) },
  ),
});

// Variables mostly (how clients send values); literals sometimes, which graphql-js coerces
// through a different path (parseLiteral instead of parseValue).
type Form = 'variables' | 'literals';
const forms = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Form>('variables') },
  { weight: 1, arbitrary: fc.constant<Form>('literals') },
);

/**
 * Requests for one root field, its arguments generated from their types and present or left out:
 * half calm (valid but for a stray value, to reach the domain), half stormy.
 */
export function graphqlCases(
  op: RootOperation,
  values: Record<Mood, ValueGenerator>,
): fc.Arbitrary<GraphQLCase> {
  return fc.oneof(
    { withCrossShrink: true },
    casesIn(op, values.calm, 'calm'),
    casesIn(op, values.stormy, 'stormy'),
  );
}

function casesIn(op: RootOperation, values: ValueGenerator, mood: Mood): fc.Arbitrary<GraphQLCase> {
  const args = Object.fromEntries(
    op.args.map((a) => {
      const required = getNullableType(a.type) !== a.type && a.defaultValue === undefined;
      const present =
        required && mood === 'calm'
          ? fc.constant(true)
          : fc.oneof(
              { withCrossShrink: true },
              { weight: required ? 50 : 2, arbitrary: fc.constant(true) },
              { weight: 1, arbitrary: fc.constant(false) },
            );
      return [a.name, fc.tuple(present, values.value(a.type, a.name, op.name))];
    }),
  );
  return fc
    .record({ args: fc.record(args), form: forms, caller: callers })
    .map(({ args: generated, form, caller }) => {
      const used = op.args.filter((a) => (generated[a.name] as [boolean, unknown])[0]);
      const valueOf = (name: string) => (generated[name] as [boolean, unknown])[1];
      const call = (render: (name: string, type: GraphQLInputType, i: number) => string) =>
        used.length
          ? `(${used.map((a, i) => `${a.name}: ${render(a.name, a.type, i)}`).join(', ')})`
          : '';
      const body = (text: string) => `{ ${op.name}${text}${op.selection} }`;
      if (form === 'literals' || used.length === 0) {
        return {
          operation: op.name,
          kind: op.kind,
          document: `${op.kind} Fuzz ${body(call((name, type) => literal(valueOf(name), type)))}`,
          variables: {},
          caller,
        };
      }
      const declarations = used.map((a, i) => `$v${i}: ${String(a.type)}`).join(', ');
      return {
        operation: op.name,
        kind: op.kind,
        document: `${op.kind} Fuzz(${declarations}) ${body(call((_n, _t, i) => `$v${i}`))}`,
        variables: Object.fromEntries(used.map((a, i) => [`v${i}`, valueOf(a.name)])),
        caller,
      };
    });
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** A JavaScript value as a GraphQL literal of `type` (enum names bare, strings JSON-escaped). */
export function literal(value: unknown, type: GraphQLInputType | undefined): string {
  const nullable = type && getNullableType(type);
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) {
    const item = nullable && isListType(nullable) ? nullable.ofType : undefined;
    return `[${value.map((v) => literal(v, item)).join(', ')}]`;
  }
  if (nullable && isListType(nullable)) return literal(value, nullable.ofType);
  if (typeof value === 'object') {
    const fields = nullable && isInputObjectType(nullable) ? nullable.getFields() : {};
    const entries = Object.entries(value).map(([k, v]) => `${k}: ${literal(v, fields[k]?.type)}`);
    return `{ ${entries.join(', ')} }`;
  }
  if (typeof value === 'string')
    return nullable &&
      isEnumType(nullable) &&
      NAME.test(value) &&
      !/^(true|false|null)$/.test(value)
      ? value
      : JSON.stringify(value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : JSON.stringify(value);
  return String(value);
}
