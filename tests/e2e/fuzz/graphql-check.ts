import type { Role } from '@aftercare/kit';
import { normalise, type Problem } from './findings';
import type { GraphQLCase } from './graphql-case';
import { MAX_LATENCY_MS } from './latency';
import { type Counts, countChanges, type RowCounter } from './row-counts';

/** Codes that mean the server failed rather than refused. */
const INTERNAL_CODES = new Set(['INTERNAL_SERVER_ERROR', 'INTERNAL', 'UNKNOWN']);

export interface GraphQLAnswer {
  status: number;
  ms: number;
  body: GraphQLBody | undefined;
  /** The raw text when it is not a GraphQL response. */
  raw: string;
}

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message?: string; path?: unknown; extensions?: Record<string, unknown> }[];
}

export interface GatewayTarget {
  url: string;
  token(roles: Role[], user: string): string;
}

/** Signs each caller's token once: signing on every request was a noticeable share of the run. */
export function withCachedTokens(target: GatewayTarget): GatewayTarget {
  const tokens = new Map<string, string>();
  return {
    url: target.url,
    token(roles, user) {
      const key = JSON.stringify([roles, user]);
      let token = tokens.get(key);
      if (token === undefined) tokens.set(key, (token = target.token(roles, user)));
      return token;
    },
  };
}

export async function sendCase(target: GatewayTarget, c: GraphQLCase): Promise<GraphQLAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (c.caller.roles)
    headers.authorization = `Bearer ${target.token(c.caller.roles, c.caller.user)}`;
  const started = performance.now();
  const res = await fetch(target.url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: c.document, variables: c.variables }),
    // Far beyond the limit: a hung request is reported as slow instead of hanging the suite.
    signal: AbortSignal.timeout(30_000),
  });
  const raw = await res.text();
  const ms = performance.now() - started;
  return { status: res.status, ms, body: parseGraphQL(raw), raw };
}

/** The body as a GraphQL response, or undefined when it is none. */
export function parseGraphQL(raw: string): GraphQLBody | undefined {
  try {
    const body = JSON.parse(raw) as unknown;
    if (body && typeof body === 'object' && ('data' in body || 'errors' in body))
      return body as GraphQLBody;
  } catch {
    // Not JSON: reported by answerProblems.
  }
  return undefined;
}

/** The promises of issue 11 an answer breaks: 5xx, slowness, internal errors, refusals without a code. */
export function answerProblems(answer: GraphQLAnswer): Problem[] {
  const problems: Problem[] = [];
  if (answer.status >= 500)
    problems.push({ kind: `HTTP ${answer.status}`, detail: answer.raw.slice(0, 300) });
  if (answer.ms > MAX_LATENCY_MS)
    problems.push({
      kind: `slower than ${MAX_LATENCY_MS} ms`,
      detail: `${Math.round(answer.ms)} ms`,
    });
  if (!answer.body) {
    problems.push({
      kind: 'not a GraphQL response',
      detail: `HTTP ${answer.status}: ${answer.raw.slice(0, 300)}`,
    });
    return problems;
  }
  for (const error of answer.body.errors ?? []) {
    const code = error.extensions?.code;
    const message = String(error.message);
    if (typeof code !== 'string')
      problems.push({ kind: `error without a code: ${normalise(message)}`, detail: message });
    else if (INTERNAL_CODES.has(code))
      problems.push({
        kind: `${code} from ${String(error.extensions?.serviceName ?? 'gateway')} at ${JSON.stringify(error.path ?? null)}`,
        detail: `${message} ${JSON.stringify(error.extensions)}`,
      });
  }
  return problems;
}

/** A mutation whose root field errored: it must have written nothing. */
export const isRefused = (c: GraphQLCase, answer: GraphQLAnswer) =>
  !!answer.body?.errors?.length && (answer.body.data?.[c.operation] ?? null) === null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the counts say about a refused mutation, once checked with the system quiet. */
export type WriteVerdict =
  { wrote: false; decided: boolean } | { wrote: true; decided: true; changes: string[] };

/**
 * Whether a refused mutation really wrote. The counts around a case also move for reasons of
 * their own — events consumed from earlier successful cases, the services' schedulers — so a
 * change is only believed when the same request, sent again between moments the databases are
 * quiet, is refused again and changes the same tables every time (what it leaves behind for
 * consumers included). Undecided when the databases never come to rest.
 */
export async function confirmWrites(
  target: GatewayTarget,
  counter: RowCounter,
  c: GraphQLCase,
  attempts = 3,
): Promise<WriteVerdict> {
  let suspects: Set<string> | undefined;
  let last: string[] = [];
  for (let i = 0; i < attempts; i++) {
    const before = await quiet(counter);
    if (!before) return { wrote: false, decided: false };
    const answer = await sendCase(target, c);
    if (!isRefused(c, answer)) return { wrote: false, decided: true };
    const after = await quiet(counter);
    if (!after) return { wrote: false, decided: false };
    last = countChanges(before, after);
    const tables = new Set(last.map((change) => change.split(' ')[0]!));
    suspects = suspects ? new Set([...suspects].filter((t) => tables.has(t))) : tables;
    if (suspects.size === 0) return { wrote: false, decided: true };
  }
  const changes = last.filter((change) => suspects!.has(change.split(' ')[0]!));
  return { wrote: true, decided: true, changes };
}

/** Counts once they stopped moving (two snapshots a moment apart agree); undefined after 5 s. */
async function quiet(counter: RowCounter): Promise<Counts | undefined> {
  let previous = await counter.snapshot();
  for (let i = 0; i < 20; i++) {
    await sleep(250);
    const current = await counter.snapshot();
    if (countChanges(previous, current).length === 0) return current;
    previous = current;
  }
  return undefined;
}
