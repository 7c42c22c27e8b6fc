import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLError,
  isCompositeType,
  isListType,
  validate,
  visit,
  type DocumentNode,
  type OperationDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';

export interface QueryLimits {
  /** Deepest nesting of fields; a root field is level 1, fragments add no level. */
  maxDepth: number;
  /** Highest estimated cost: every field counts 1, and what a list holds counts once per element. */
  maxCost: number;
  /** Most aliases in one operation (fragment expansions count). */
  maxAliases: number;
  /** Most directives in one operation (fragment expansions count). */
  maxDirectives: number;
  /** Elements assumed in a list the operation does not size with `first`/`last` and the schema gives no default for. */
  defaultListSize: number;
}

export interface GatewayLimits extends QueryLimits {
  /**
   * The parser stops reading a document after this many tokens, so refusing a huge operation
   * costs no more than parsing a big one (a few milliseconds).
   */
  maxTokens: number;
}

/**
 * Room for every operation of the end-to-end suite and the front ends (a daily report of teams,
 * technicians and categories costs about 5,000, a dispatch board of 100 rows about 7,000;
 * introspection is about 200 tokens), while a few aliased pages of 100 work orders pass the cost.
 * Tokens only bound the parser: the limits after parsing refuse what is merely expensive.
 */
export const DEFAULT_LIMITS: Readonly<GatewayLimits> = {
  maxDepth: 10,
  maxCost: 10_000,
  maxAliases: 30,
  maxDirectives: 50,
  // graphql-js parses recursively: a document nested ~3,000 levels deep (~6,000 tokens)
  // overflows its stack, so documents are kept well below that (the fuzz suite).
  maxTokens: 2_000,
  defaultListSize: 10,
};

/** Graphql-js's own refusal of a document over `maxTokens` is a syntax error, told apart by its message. */
const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more tha[nt] \d+ tokens\./;

/** The refusal of a document over `maxTokens`, as the gateway answers it, or the error unchanged. */
export function withTokenLimitReason(
  error: GraphQLFormattedError,
  maxTokens: number,
): GraphQLFormattedError {
  if (!TOKEN_LIMIT_MESSAGE.test(error.message)) return error;
  return {
    message: `The operation is longer than ${maxTokens} tokens; ask for less or split it`,
    extensions: { code: 'QUERY_TOO_COMPLEX', reason: 'TOO_MANY_TOKENS' },
  };
}

/** Walks of fragment expansions the cost estimate may make before it gives up and refuses. */
const MAX_COST_NODES = 10_000;

const tooComplex = (message: string, reason: string) =>
  new GraphQLError(message, {
    extensions: { code: 'QUERY_TOO_COMPLEX', reason, http: { status: 400 } },
  });

const PAGE_SIZE_ARGUMENTS = ['first', 'last'];

/** Return types of fields paged with `first`/`last` (`WorkOrderConnection`, …): their lists are the page. */
const pageTypesOf = new WeakMap<GraphQLSchema, Set<string>>();
function pageTypes(schema: GraphQLSchema): Set<string> {
  let types = pageTypesOf.get(schema);
  if (!types) {
    types = new Set();
    for (const type of Object.values(schema.getTypeMap())) {
      if (!('getFields' in type) || !isCompositeType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        // A paged field returning a list directly (`dispatchBoard`) has no page type.
        const returnsPage = !isListType(getNullableType(field.type));
        if (returnsPage && field.args.some((a) => PAGE_SIZE_ARGUMENTS.includes(a.name)))
          types.add(getNamedType(field.type).name);
      }
    }
    pageTypesOf.set(schema, types);
  }
  return types;
}

/**
 * Cost of a field: 1, plus what it selects times the elements it returns. A field with `first`
 * or `last` returns that many (its schema default, or `defaultListSize`); a list inside the page
 * type such a field returns is that page and adds no factor of its own; any other list of objects
 * counts `defaultListSize`. Introspection is counted by fields only (it is allowed only in
 * development). Leaf lists (strings, enums) are one value.
 */
export function listSizeEstimator(schema: GraphQLSchema, defaultListSize: number) {
  const pages = pageTypes(schema);
  const estimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
    const pageArgument = PAGE_SIZE_ARGUMENTS.find((a) => field.args.some((d) => d.name === a));
    let elements = 1;
    if (type.name.startsWith('__') || field.name.startsWith('__')) {
      // Introspection: counted by its fields alone.
    } else if (pageArgument) {
      const requested = args.first ?? args.last;
      elements = typeof requested === 'number' ? Math.max(requested, 1) : defaultListSize;
    } else if (isListType(getNullableType(field.type)) && !pages.has(type.name)) {
      elements = defaultListSize;
    }
    return 1 + elements * childComplexity;
  };
  return estimator;
}

/** Estimated cost of the operation `operationName` picks in `document` (see listSizeEstimator). */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  options: {
    operationName?: string;
    variables?: Record<string, unknown>;
    defaultListSize: number;
  },
): number {
  return getComplexity({
    schema,
    query: document,
    operationName: options.operationName,
    variables: options.variables,
    estimators: [listSizeEstimator(schema, options.defaultListSize)],
    maxQueryNodes: MAX_COST_NODES,
  });
}

type ArmorRule = (
  onReject: Array<(context: unknown, error: GraphQLError) => void>,
) => ValidationRule;

interface ShapeLimit {
  reason: string;
  message: string;
  rule: ArmorRule;
}

/**
 * The first of `shapes` (in their order) whose rule refuses the document. The rules report through
 * `onReject` instead of throwing, and run in one walk of the document.
 */
function firstRefusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  shapes: readonly ShapeLimit[],
): ShapeLimit | undefined {
  const refused = new Set<ShapeLimit>();
  validate(
    schema,
    document,
    shapes.map((shape) => shape.rule([() => void refused.add(shape)])),
  );
  return shapes.find((shape) => refused.has(shape));
}

/** The limits on the shape of an operation, each with its reason and what the caller should do. */
function shapeLimits(limits: QueryLimits): ShapeLimit[] {
  const quiet = { propagateOnRejection: false } as const;
  return [
    {
      reason: 'TOO_MANY_ALIASES',
      message: `The operation uses more than ${limits.maxAliases} aliases (fragment expansions count); ask for less or split it`,
      rule: (onReject) =>
        maxAliasesRule({ n: limits.maxAliases, allowList: [], onReject, ...quiet }),
    },
    {
      reason: 'TOO_MANY_DIRECTIVES',
      message: `The operation uses more than ${limits.maxDirectives} directives (fragment expansions count); use fewer`,
      rule: (onReject) => maxDirectivesRule({ n: limits.maxDirectives, onReject, ...quiet }),
    },
    {
      reason: 'QUERY_TOO_DEEP',
      message: `The operation nests fields deeper than ${limits.maxDepth} levels; nest fewer levels or split it`,
      rule: (onReject) =>
        maxDepthRule({ n: limits.maxDepth, flattenFragments: true, onReject, ...quiet }),
    },
  ];
}

/** Distinct variable values of one document whose costs are kept; past it the document's are dropped. */
const MAX_COSTS_PER_DOCUMENT = 100;

/**
 * What the limits concluded about one document (Apollo hands the same DocumentNode back for the
 * same text, from its document store): the shape refusal, which depends on the document alone,
 * and the costs already estimated, by operation and by what of the variables the cost reads.
 */
interface DocumentVerdict {
  schema: GraphQLSchema;
  /** Walked for when the cost passes (null: nothing refuses the shape). */
  refusal?: ShapeLimit | null;
  /** Variables whose values the estimate reads: in a `first`/`last` argument or in a directive. */
  sizing: ReadonlySet<string>;
  costs: Map<string, number>;
}

/** The variables used inside `first`/`last` arguments and directives (`@skip(if: $x)`), anywhere in the document. */
function sizingVariables(document: DocumentNode): Set<string> {
  const names = new Set<string>();
  let depth = 0;
  const enterSizing = () => void depth++;
  const leaveSizing = () => void depth--;
  visit(document, {
    Argument: {
      enter: (node) => (PAGE_SIZE_ARGUMENTS.includes(node.name.value) ? enterSizing() : undefined),
      leave: (node) => (PAGE_SIZE_ARGUMENTS.includes(node.name.value) ? leaveSizing() : undefined),
    },
    Directive: { enter: enterSizing, leave: leaveSizing },
    Variable: (node) => {
      if (depth > 0) names.add(node.name.value);
    },
  });
  return names;
}

/**
 * The key of an estimate: the operation, the values of the sizing variables, and for every other
 * variable only whether it is absent, null or set — all the estimate reads of it (an argument that
 * must not be null refuses a null variable; an absent one takes the argument's default).
 */
function costKey(
  operation: OperationDefinitionNode,
  operationName: string | undefined,
  coerced: Record<string, unknown>,
  sizing: ReadonlySet<string>,
): string {
  const parts: unknown[] = [operationName ?? null];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (!Object.prototype.hasOwnProperty.call(coerced, name)) parts.push(0);
    else if (sizing.has(name)) parts.push([coerced[name]]);
    else parts.push(coerced[name] === null ? 1 : 2);
  }
  return JSON.stringify(parts);
}

const badVariables = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });

/**
 * Refuses operations that would cost too much, after validation and before the query planner
 * sends anything to a subgraph: the estimated cost (list sizes weighed) first, then aliases,
 * directives and depth. Answered as QUERY_TOO_COMPLEX (HTTP 400) with reason QUERY_TOO_COSTLY,
 * TOO_MANY_ALIASES, TOO_MANY_DIRECTIVES or QUERY_TOO_DEEP. (Length is bounded earlier, when the
 * document is parsed: TOO_MANY_TOKENS.)
 *
 * Both walks of the document are kept per document (the shape) and per document, operation and
 * sizing values (the cost): a client repeats the same few documents, and the walks were about a
 * tenth of the gateway's CPU per request. The variables are still coerced on every request, so
 * those that do not fit their types are refused as before.
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  const shapes = shapeLimits(limits);
  const verdicts = new WeakMap<DocumentNode, DocumentVerdict>();
  const verdictOf = (schema: GraphQLSchema, document: DocumentNode): DocumentVerdict => {
    let verdict = verdicts.get(document);
    if (verdict?.schema !== schema) {
      verdict = { schema, sizing: sizingVariables(document), costs: new Map() };
      verdicts.set(document, verdict);
    }
    return verdict;
  };
  const estimate = (
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | undefined,
    variables: Record<string, unknown> | undefined,
  ): number => {
    try {
      return operationCost(schema, document, {
        operationName,
        variables,
        defaultListSize: limits.defaultListSize,
      });
    } catch {
      // The variables were coerced before this, as the estimate coerces them: this is the walk
      // giving up on fragment expansions (or on a null where an argument must not be one).
      return Infinity;
    }
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          // No runnable operation: operationChecksPlugin answers that.
          if (!operation || operation.operation === 'subscription') return;
          const verdict = verdictOf(schema, document);
          // Coerced as the estimate coerces them; the estimate reported the last error.
          const { coerced, errors } = getVariableValues(
            schema,
            operation.variableDefinitions ?? [],
            request.variables ?? {},
          );
          const operationName = operation.name?.value;
          let cost: number | undefined;
          let key: string | undefined;
          if (errors?.length) {
            // The estimate reports the last error; one not about a variable (too many errors)
            // made it give up, as it gives up on fragment expansions.
            const last = errors[errors.length - 1]!;
            if (last.message.startsWith('Variable "$')) throw badVariables(last.message);
            cost = Infinity;
          } else {
            key = costKey(operation, operationName, coerced!, verdict.sizing);
            cost = verdict.costs.get(key);
          }
          if (cost === undefined) {
            cost = estimate(schema, document, operationName, request.variables);
            if (verdict.costs.size >= MAX_COSTS_PER_DOCUMENT) verdict.costs.clear();
            verdict.costs.set(key!, cost);
          }
          if (cost > limits.maxCost) {
            throw tooComplex(
              `The operation would cost ${Number.isFinite(cost) ? cost : 'too much'}, more than ${limits.maxCost} (every field counts 1, times the elements of the lists around it: \`first\`, or ${limits.defaultListSize} when unsized); ask for less or split it`,
              'QUERY_TOO_COSTLY',
            );
          }
          // Not `??=`: null, nothing refuses, is a verdict too, and the commonest one.
          if (verdict.refusal === undefined)
            verdict.refusal = firstRefusal(schema, document, shapes) ?? null;
          if (verdict.refusal) throw tooComplex(verdict.refusal.message, verdict.refusal.reason);
        },
      };
    },
  };
}
