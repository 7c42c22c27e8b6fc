import fc from 'fast-check';
import { abbreviate, type Findings, type Problem } from './findings';

/** How a run is steered from the environment (FUZZ_SEED, FUZZ_RUNS, FUZZ_ONLY, FUZZ_KEEP_GOING). */
export interface FuzzSettings {
  seed: number;
  /** Total GraphQL cases, spread over the operations. */
  graphqlRuns: number;
  /** Total gRPC cases, spread over the methods. */
  grpcRuns: number;
  /** Only these operations / methods (names), e.g. to replay one failure. */
  only: ReadonlySet<string> | undefined;
  /**
   * Run every case instead of stopping at an operation's first failure and shrinking it:
   * counts every distinct cause, for a census of what fails.
   */
  keepGoing: boolean;
}

export function fuzzSettings(env: NodeJS.ProcessEnv = process.env): FuzzSettings {
  const only = env.FUZZ_ONLY?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const seed = env.FUZZ_SEED ? Number(env.FUZZ_SEED) : Date.now() % 2 ** 31;
  if (!Number.isSafeInteger(seed))
    throw new Error(`FUZZ_SEED must be an integer, not ${env.FUZZ_SEED}`);
  return {
    seed,
    graphqlRuns: Number(env.FUZZ_RUNS ?? 10_000),
    grpcRuns: Number(env.FUZZ_GRPC_RUNS ?? 1_200),
    only: only?.length ? new Set(only) : undefined,
    keepGoing: env.FUZZ_KEEP_GOING === '1',
  };
}

/** Each target's seed follows from the run's and its name, so FUZZ_ONLY replays the same cases. */
export function seedFor(seed: number, name: string): number {
  let h = seed | 0;
  for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

/** One operation or method under test and how to run a case of it. */
export interface FuzzTarget<C> {
  name: string;
  cases: fc.Arbitrary<C>;
  /** Sends the case and returns what went wrong (nothing when it held) and the answer seen. */
  run(c: C): Promise<{ problems: Problem[]; answer: unknown }>;
}

export interface TargetResult {
  name: string;
  cases: number;
  ms: number;
  /** The shrunk counterexample, when the target failed. */
  counterexample?: string;
}

// Shrinking sends real requests; past this many after the first failure the smallest
// counterexample found so far is reported instead.
const SHRINK_BUDGET = 40;

/** Runs one target's property with fast-check and records every failing case in `findings`. */
export async function fuzzTarget<C>(
  target: FuzzTarget<C>,
  numRuns: number,
  settings: FuzzSettings,
  findings: Findings,
): Promise<TargetResult> {
  let cases = 0;
  let failed = false;
  let shrinkSteps = 0;
  let lastFailure = '';
  const started = Date.now();
  const property = fc.asyncProperty(target.cases, async (c) => {
    if (failed && ++shrinkSteps > SHRINK_BUDGET) return true;
    if (!failed) cases += 1;
    const { problems, answer } = await target.run(c).catch((error: unknown) => ({
      problems: [{ kind: 'request failed', detail: String(error) }],
      answer: undefined,
    }));
    if (problems.length === 0) return true;
    const example = `${abbreviate(c)}\n    → ${abbreviate(answer, 600)}`;
    for (const p of problems) findings.add({ ...p, operation: target.name, example });
    if (settings.keepGoing) return true;
    failed = true;
    lastFailure = `${problems.map((p) => `${p.kind}: ${p.detail}`).join('; ')}\n    ${example}`;
    return false;
  });
  const details = await fc.check(property, {
    seed: seedFor(settings.seed, target.name),
    numRuns,
  });
  const ms = Date.now() - started;
  return details.failed
    ? { name: target.name, cases, ms, counterexample: `${target.name}: ${lastFailure}` }
    : { name: target.name, cases, ms };
}

/** Runs tasks with at most `width` at a time. */
export async function inLanes<T>(
  items: readonly T[],
  width: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(width, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item);
    }),
  );
}
