import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const invalid = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

function parseInstant(value: unknown): Date {
  if (typeof value !== 'string') throw invalid('DateTime must be an ISO 8601 string');
  // An offset is required: a wall-clock time without a zone is ambiguous.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw invalid(
      `DateTime "${value}" must be ISO 8601 with a time zone offset, e.g. 2026-11-27T16:00:00+08:00`,
    );
  }
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw invalid(`DateTime "${value}" is not a valid instant`);
  return at;
}

/** Instants: ISO 8601 with an offset in, UTC ISO out. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => {
    const at = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(at.getTime()))
      throw new GraphQLError('DateTime cannot represent an invalid date');
    return at.toISOString();
  },
  parseValue: parseInstant,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw invalid('DateTime must be a string');
    return parseInstant(ast.value);
  },
});

function parseDate(value: unknown): string {
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!m || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw invalid(`Date must be a calendar date YYYY-MM-DD (got ${JSON.stringify(value)})`);
  }
  return value as string;
}

/** Calendar dates in the business time zone, kept as YYYY-MM-DD strings end to end. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  serialize: (value) => parseDate(value),
  parseValue: parseDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw invalid('Date must be a string');
    return parseDate(ast.value);
  },
});
