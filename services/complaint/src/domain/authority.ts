import { hasRole, invalidArgument, numberIn, requiredText, type Role } from '@aftercare/kit/domain';

/** Who acts; structurally the kit's `Identity`, so use cases pass the caller straight in. */
export interface Actor {
  userId: string;
  roles: readonly string[];
}

/** Roles that steer a complaint through its steps (R-CO-2); `admin` may do everything. */
export const HANDLING_ROLES: readonly Role[] = Object.freeze(['customer_relations', 'manager']);

/**
 * R-CO-2 amount-based approval authority as data: a tier's role approves compensation up to
 * `maxFen` (inclusive; null = no limit). Holding the role of any tier that covers the amount is
 * enough, so a manager also approves what customer relations could.
 */
export interface ApprovalTier {
  maxFen: number | null;
  role: string;
}

/**
 * Seed-free defaults (the rulebooks name amount-based authority without figures): up to 500 yuan
 * customer relations, up to 5 000 yuan a manager, beyond that the general manager (`admin`).
 */
export const DEFAULT_APPROVAL_TIERS: readonly ApprovalTier[] = Object.freeze([
  { maxFen: 50_000, role: 'customer_relations' },
  { maxFen: 500_000, role: 'manager' },
  { maxFen: null, role: 'admin' },
]);

const covers = (tier: ApprovalTier, amountFen: number) =>
  tier.maxFen === null || amountFen <= tier.maxFen;

/** The lowest role whose authority covers `amountFen` (what the UI shows as "needs approval by"). */
export function requiredApprovalRole(
  amountFen: number,
  tiers: readonly ApprovalTier[] = DEFAULT_APPROVAL_TIERS,
): string {
  const [lowest] = tiers
    .filter((t) => covers(t, amountFen))
    .sort((a, b) => (a.maxFen ?? Infinity) - (b.maxFen ?? Infinity));
  // Without a covering tier only `admin` (who may do everything) can approve.
  return lowest?.role ?? 'admin';
}

export function mayApprove(
  actor: Actor,
  amountFen: number,
  tiers: readonly ApprovalTier[] = DEFAULT_APPROVAL_TIERS,
): boolean {
  // Tier roles are policy data an administrator types; only the roles someone can hold match.
  return hasRole(actor, ...tiers.filter((t) => covers(t, amountFen)).map((t) => t.role as Role));
}

/** Validates tiers an administrator edits: roles named, limits whole fen, no limit twice. */
export function parseApprovalTiers(
  raw: readonly { maxFen?: number | null; role?: string | null }[],
  field = 'approvalTiers',
): ApprovalTier[] {
  if (raw.length === 0) throw invalidArgument('at least one tier is needed', field, 'REQUIRED');
  const tiers = raw.map((t, i) => ({
    maxFen:
      t.maxFen === null || t.maxFen === undefined
        ? null
        : numberIn(t.maxFen, `${field}.${i}.maxFen`, {
            min: 0,
            max: Number.MAX_SAFE_INTEGER,
            integer: true,
          }),
    role: requiredText(t.role, `${field}.${i}.role`, 32),
  }));
  tiers.forEach((t, i) => {
    if (tiers.findIndex((o) => o.maxFen === t.maxFen) !== i)
      throw invalidArgument('two tiers have the same limit', `${field}.${i}.maxFen`, 'DUPLICATE');
  });
  return tiers;
}
