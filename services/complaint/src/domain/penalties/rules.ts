import { invalidArgument, numberIn, oneOf, requiredText } from '@aftercare/kit/domain';

/** R-PN-1: where a penalty comes from. */
export const PENALTY_SOURCES = [
  'COMPLAINT',
  'SLA_BREACH',
  'REPEAT_REPAIR',
  'TOOL_LOSS',
  'ARCHIVE_HANDOVER',
  'INSPECTION',
] as const;
export type PenaltySource = (typeof PENALTY_SOURCES)[number];

/** Rewards (best performer) share the ledger with penalties, with a positive sign (R-PN-2). */
export const LEDGER_KINDS = ['PENALTY', 'REWARD'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/**
 * From the `fromNthViolation`-th violation **of the rule's source** in a month a holder of `role`
 * pays double (seed: a sales advisor's 2nd *archive* violation of the month, not their 2nd of any kind).
 */
export interface DoublingRole {
  role: string;
  fromNthViolation: number;
}

/**
 * R-PN-1 a rule as data. `points` convert to money at the policy's point value; `fineFen` is a fixed
 * amount on top (for a reward: the bonus). Both magnitudes, never negative; the ledger signs them.
 */
export interface PenaltyRule {
  code: string;
  description: string;
  kind: LedgerKind;
  points: number;
  fineFen: number;
  source: PenaltySource;
  doublingRoles?: readonly DoublingRole[];
}

/** R-PN-2 escalation settings; the defaults are the seed figures. */
export interface PenaltyPolicy {
  /** 1 point = 2 yuan. */
  pointValueFen: number;
  /** From this violation in a month (5th) a violation costs at least `escalatedPoints` (5). */
  escalateFromNth: number;
  escalatedPoints: number;
  /** A violation not corrected within this many working days counts again (1). */
  correctionWorkingDays: number;
}

export const DEFAULT_PENALTY_POLICY: PenaltyPolicy = Object.freeze({
  pointValueFen: 200,
  escalateFromNth: 5,
  escalatedPoints: 5,
  correctionWorkingDays: 1,
});

const rule = (r: PenaltyRule): PenaltyRule => Object.freeze(r);

/**
 * Default rules from the seed rulebooks (扣2分/次; 档案 50 元/车次 with 销售顾问 doubling from the 2nd
 * and 服务顾问 from the 3rd violation; best 6S performer 100 元). The doubling roles are job positions
 * (`sales_advisor`, `service_advisor`), not login roles.
 */
export const DEFAULT_PENALTY_RULES: readonly PenaltyRule[] = Object.freeze([
  rule({
    code: 'VIOLATION',
    description: 'Violation of the service rules found in an inspection',
    kind: 'PENALTY',
    points: 2,
    fineFen: 0,
    source: 'INSPECTION',
  }),
  rule({
    code: 'COMPLAINT_SUBSTANTIATED',
    description: 'A customer complaint found true against the person responsible',
    kind: 'PENALTY',
    points: 2,
    fineFen: 0,
    source: 'COMPLAINT',
  }),
  rule({
    code: 'SLA_BREACH',
    description: 'Arrival or answer later than the SLA for personal reasons',
    kind: 'PENALTY',
    points: 2,
    fineFen: 0,
    source: 'SLA_BREACH',
  }),
  rule({
    code: 'REPEAT_REPAIR',
    description: 'The same fault repaired again within the repeat window',
    kind: 'PENALTY',
    points: 2,
    fineFen: 0,
    source: 'REPEAT_REPAIR',
  }),
  rule({
    code: 'TOOL_LOSS',
    description: 'Tool lost or damaged; the original price is charged on top',
    kind: 'PENALTY',
    points: 2,
    fineFen: 0,
    source: 'TOOL_LOSS',
  }),
  rule({
    code: 'ARCHIVE_HANDOVER_LATE',
    description: 'Archive handed over late or incomplete (per vehicle)',
    kind: 'PENALTY',
    points: 0,
    fineFen: 5000,
    source: 'ARCHIVE_HANDOVER',
    doublingRoles: Object.freeze([
      { role: 'sales_advisor', fromNthViolation: 2 },
      { role: 'service_advisor', fromNthViolation: 3 },
    ]),
  }),
  rule({
    code: 'BEST_PERFORMER',
    description: 'Best performer of the month',
    kind: 'REWARD',
    points: 0,
    fineFen: 10000,
    source: 'INSPECTION',
  }),
]);

export interface PenaltyRuleInput {
  code?: string | null;
  description?: string | null;
  kind?: string | null;
  points?: number | null;
  fineFen?: number | null;
  source?: string | null;
  doublingRoles?: readonly { role?: string | null; fromNthViolation?: number | null }[] | null;
}

/** R-PN-1: validates a rule an administrator edits; a rule costs points, a fine, or both. */
export function parsePenaltyRule(input: PenaltyRuleInput, field = 'rule'): PenaltyRule {
  const at = (name: string) => `${field}.${name}`;
  const code = requiredText(input.code, at('code'), 32);
  if (!/^[A-Z][A-Z0-9_]*$/.test(code))
    throw invalidArgument(
      `"${code}" is not a rule code (A-Z, 0-9, _)`,
      at('code'),
      'INVALID_VALUE',
    );
  const points = numberIn(input.points ?? 0, at('points'), { min: 0, max: 1000, integer: true });
  const fineFen = numberIn(input.fineFen ?? 0, at('fineFen'), {
    min: 0,
    max: 100_000_000,
    integer: true,
  });
  if (points === 0 && fineFen === 0)
    throw invalidArgument('a rule needs points, a fine or both', at('points'), 'REQUIRED');
  const doublingRoles = (input.doublingRoles ?? []).map((d, i) => ({
    role: requiredText(d.role, at(`doublingRoles.${i}.role`), 32),
    fromNthViolation: numberIn(d.fromNthViolation, at(`doublingRoles.${i}.fromNthViolation`), {
      min: 1,
      max: 100,
      integer: true,
    }),
  }));
  return {
    code,
    description: requiredText(input.description, at('description'), 300),
    kind: oneOf(LEDGER_KINDS, input.kind, at('kind'), 'PENALTY'),
    points,
    fineFen,
    source: oneOf(PENALTY_SOURCES, input.source, at('source')),
    ...(doublingRoles.length > 0 ? { doublingRoles } : {}),
  };
}
