import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { InputRefusal, isoDateRefusal, parseInstant } from '../input-policy';

/*
 * Input values that break the input policy (an impossible or far-off date) parse to an
 * `InputRefusal` instead of throwing: a scalar does not know which argument it parses, and the
 * subgraph's argument walker (input-policy.ts) refuses it as BAD_USER_INPUT naming the argument.
 */

/** Not a string at all is a type error, as for any scalar: GraphQL's own BAD_USER_INPUT. */
function text(scalar: string, value: unknown): string {
  if (typeof value !== 'string')
    throw new GraphQLError(`${scalar} must be a string`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  return value;
}

const literal = (scalar: string, ast: ValueNode): string =>
  text(scalar, ast.kind === Kind.STRING ? ast.value : undefined);

/** Instants: ISO 8601 with an offset in, UTC ISO out. */
export const DateTimeScalar = new GraphQLScalarType<Date | InputRefusal, string>({
  name: 'DateTime',
  serialize: (value) => {
    const at = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(at.getTime()))
      throw new GraphQLError('DateTime cannot represent an invalid date');
    return at.toISOString();
  },
  parseValue: (value) => parseInstant(text('DateTime', value)),
  parseLiteral: (ast) => parseInstant(literal('DateTime', ast)),
});

const dateIn = (value: string): string | InputRefusal => isoDateRefusal(value) ?? value;

/** Calendar dates in the business time zone, kept as YYYY-MM-DD strings end to end. */
export const DateScalar = new GraphQLScalarType<string | InputRefusal, string>({
  name: 'Date',
  // A date on file is shown whatever its year: the range applies to what comes in.
  serialize: (value) => {
    const refusal = isoDateRefusal(value);
    if (refusal && refusal.reason !== 'DATE_OUT_OF_RANGE')
      throw new GraphQLError(`Date cannot represent ${JSON.stringify(value)}`);
    return value as string;
  },
  parseValue: (value) => dateIn(text('Date', value)),
  parseLiteral: (ast) => dateIn(literal('Date', ast)),
});
