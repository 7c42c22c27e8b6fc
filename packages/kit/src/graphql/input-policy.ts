import {
  defaultFieldResolver,
  getDirectiveValues,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { InputRefusal, READ_TEXT_MAX_LENGTH, TEXT_MAX_LENGTH, textRefusal } from '../input-policy';

/**
 * `@limit(maxLength: n)` on an argument or input field sets its text limit instead of the
 * default; a subgraph using it declares it in its SDL (composition leaves it out of the supergraph):
 *
 * ```graphql
 * directive @limit(maxLength: Int!) on ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
 * ```
 */
export const LIMIT_DIRECTIVE = 'limit';

type Check = (value: unknown, path: string) => void;

/**
 * Applies the input policy (docs/input-policy.md) to every argument of every field: before a
 * resolver runs, each text is checked (no NUL, no unpaired surrogate, at most `@limit(maxLength)`
 * or else TEXT_MAX_LENGTH in a mutation and READ_TEXT_MAX_LENGTH in a read) and each refusal a
 * scalar returned is raised (impossible or far-off dates), as BAD_USER_INPUT naming the argument:
 * its path inside the mutation's `input` (`contacts.0.name`, as the use cases name fields) or the
 * argument's own name and path (`date`, `filter.query`). Walking the coerced arguments of the
 * field being resolved covers literals and variables alike, whatever fragments the query uses.
 */
export function applyInputPolicy(schema: GraphQLSchema): void {
  const mutation = schema.getMutationType();
  const compiler = new CheckCompiler(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const defaultMax = type === mutation ? TEXT_MAX_LENGTH : READ_TEXT_MAX_LENGTH;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0) continue;
      const checks = field.args.map((arg) => argumentCheck(compiler, arg, defaultMax));
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args: Record<string, unknown>, context, info) => {
        for (const check of checks) check(args);
        return resolve(source, args, context, info);
      };
    }
  }
}

function argumentCheck(compiler: CheckCompiler, arg: GraphQLArgument, defaultMax: number) {
  const check = compiler.valueCheck(arg.type, compiler.maxLength(arg, defaultMax), defaultMax);
  // A mutation's one `input` is the use case's input: its fields are named as the use case names them.
  const root = arg.name === 'input' && isInputObjectType(getNamedType(arg.type)) ? '' : arg.name;
  return (args: Record<string, unknown>) => {
    const value = args[arg.name];
    if (value !== undefined && value !== null) check(value, root);
  };
}

const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

class CheckCompiler {
  // Input object types are shared (and may be recursive): one check per type and default limit.
  private readonly objectChecks = new Map<string, Check>();

  constructor(private readonly schema: GraphQLSchema) {}

  maxLength(definition: GraphQLArgument | GraphQLInputField, defaultMax: number): number {
    const directive = this.schema.getDirective(LIMIT_DIRECTIVE);
    const limit =
      directive && definition.astNode
        ? (getDirectiveValues(directive, definition.astNode) as { maxLength: number } | undefined)
        : undefined;
    if (limit && !isTextType(definition.type)) {
      throw new Error(
        `@${LIMIT_DIRECTIVE}(maxLength) on ${definition.name} of type ${String(definition.type)}: only texts have a length`,
      );
    }
    return limit?.maxLength ?? defaultMax;
  }

  valueCheck(type: GraphQLInputType, maxLength: number, defaultMax: number): Check {
    if (isNonNullType(type)) return this.valueCheck(type.ofType, maxLength, defaultMax);
    if (isListType(type)) {
      const item = this.valueCheck(type.ofType, maxLength, defaultMax);
      // Coercion has made a list of a single value given for one.
      return (value, path) =>
        (value as unknown[]).forEach((v, i) => {
          if (v !== null) item(v, join(path, i));
        });
    }
    if (isInputObjectType(type)) return this.objectCheck(type, defaultMax);
    return (value, path) => {
      const refusal =
        value instanceof InputRefusal
          ? value
          : typeof value === 'string'
            ? textRefusal(value, maxLength)
            : undefined;
      if (refusal) throw refusal.at(path);
    };
  }

  private objectCheck(type: GraphQLInputObjectType, defaultMax: number): Check {
    const key = `${type.name}/${defaultMax}`;
    const known = this.objectChecks.get(key);
    if (known) return known;
    const fieldChecks: [string, Check][] = [];
    const check: Check = (value, path) => {
      for (const [name, fieldCheck] of fieldChecks) {
        const fieldValue = (value as Record<string, unknown>)[name];
        if (fieldValue !== undefined && fieldValue !== null)
          fieldCheck(fieldValue, join(path, name));
      }
    };
    this.objectChecks.set(key, check);
    for (const field of Object.values(type.getFields())) {
      const max = this.maxLength(field, defaultMax);
      fieldChecks.push([field.name, this.valueCheck(field.type, max, defaultMax)]);
    }
    return check;
  }
}

function isTextType(type: GraphQLInputType): boolean {
  const named = getNamedType(type);
  return named.name === 'String' || named.name === 'ID';
}
