import { invalidArgument, numberIn, oneOf, requiredText } from '@aftercare/kit/domain';
import { type ApprovalTier, DEFAULT_APPROVAL_TIERS, parseApprovalTiers } from './authority';
import { COMPLAINT_CATEGORIES, COMPLAINT_CHANNELS, CUSTOMER_DEMANDS, distinct } from './complaint';
import { DEFAULT_MAJOR_RULES, type MajorRules } from './deadlines';
import { DEFAULT_DEPARTMENT_ROUTING, type DepartmentRouting } from './workflow';

/**
 * The complaint rules an administrator edits as data (R-CO-2 routing and approval authority,
 * R-CO-3 major-complaint rules); the defaults seed it.
 */
export interface ComplaintPolicy {
  routing: DepartmentRouting;
  approvalTiers: readonly ApprovalTier[];
  majorRules: MajorRules;
}

export const DEFAULT_COMPLAINT_POLICY: ComplaintPolicy = Object.freeze({
  routing: DEFAULT_DEPARTMENT_ROUTING,
  approvalTiers: DEFAULT_APPROVAL_TIERS,
  majorRules: DEFAULT_MAJOR_RULES,
});

/** R-CO-2: every category routed to a named department, none twice. */
export function parseRouting(
  raw: readonly { category?: string | null; department?: string | null }[],
  field = 'routing',
): DepartmentRouting {
  const entries = raw.map((r, i) => ({
    category: oneOf(COMPLAINT_CATEGORIES, r.category, `${field}.${i}.category`),
    department: requiredText(r.department, `${field}.${i}.department`, 50),
  }));
  distinct(
    entries.map((e) => e.category),
    field,
    COMPLAINT_CATEGORIES.length,
  );
  const missing = COMPLAINT_CATEGORIES.filter((c) => !entries.some((e) => e.category === c));
  if (missing.length > 0) {
    throw invalidArgument(`no department for ${missing.join(', ')}`, field, 'INCOMPLETE');
  }
  return Object.freeze(
    Object.fromEntries(entries.map((e) => [e.category, e.department])),
  ) as DepartmentRouting;
}

export interface MajorRulesInput {
  repeatWindowDays?: number | null;
  channels?: readonly string[] | null;
  demands?: readonly string[] | null;
  highImpact?: boolean | null;
  disturbance?: boolean | null;
}

/** R-CO-3 rules as data; `repeatWindowDays: null` stops repeats counting as major. */
export function parseMajorRules(input: MajorRulesInput, field = 'majorRules'): MajorRules {
  return {
    repeatWindowDays:
      input.repeatWindowDays === null || input.repeatWindowDays === undefined
        ? null
        : numberIn(input.repeatWindowDays, `${field}.repeatWindowDays`, {
            min: 1,
            max: 3650,
            integer: true,
          }),
    channels: distinct(
      (input.channels ?? []).map((c, i) => oneOf(COMPLAINT_CHANNELS, c, `${field}.channels.${i}`)),
      `${field}.channels`,
      COMPLAINT_CHANNELS.length,
    ),
    demands: distinct(
      (input.demands ?? []).map((d, i) => oneOf(CUSTOMER_DEMANDS, d, `${field}.demands.${i}`)),
      `${field}.demands`,
      CUSTOMER_DEMANDS.length,
    ),
    highImpact: Boolean(input.highImpact),
    disturbance: Boolean(input.disturbance),
  };
}

export interface ComplaintPolicyInput {
  routing?: readonly { category?: string | null; department?: string | null }[] | null;
  approvalTiers?: readonly { maxFen?: number | null; role?: string | null }[] | null;
  majorRules?: MajorRulesInput | null;
}

/** An edit of the policy: the parts given replace the current ones, validated. */
export function revisePolicy(
  current: ComplaintPolicy,
  input: ComplaintPolicyInput,
): ComplaintPolicy {
  return {
    routing: input.routing ? parseRouting(input.routing) : current.routing,
    approvalTiers: input.approvalTiers
      ? parseApprovalTiers(input.approvalTiers)
      : current.approvalTiers,
    majorRules: input.majorRules ? parseMajorRules(input.majorRules) : current.majorRules,
  };
}
