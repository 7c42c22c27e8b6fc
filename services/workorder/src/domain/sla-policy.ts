import type { SlaPolicyChanged } from '@aftercare/events';
import { conflict, invalidArgument } from '@aftercare/kit/domain';
import { parseSlaPolicy, type SlaPolicy, type SlaPolicyInput } from './sla';
import { numberIn, requiredText } from './values';

/** What a version of an SLA policy did to it (R-WO-12). */
export const SLA_POLICY_CHANGES = ['CREATED', 'CHANGED', 'RETIRED'] as const;
export type SlaPolicyChange = (typeof SLA_POLICY_CHANGES)[number];

/**
 * R-WO-12: one version of an SLA policy, kept for ever. The policy in force is its latest version
 * unless that one retired it; an order names the version it was registered with, so its deadlines
 * stay explained however the policy changes later. `changedBy`, `changedAt` and `reason` are the audit.
 */
export interface SlaPolicyVersion extends SlaPolicy {
  version: number;
  change: SlaPolicyChange;
  retired: boolean;
  changedBy: string;
  changedAt: Date;
  reason: string;
}

export interface PolicyEdit {
  /** Who edits (a manager's user id) and when. */
  actor: string;
  now: Date;
  /** The configured fault categories: a policy may only name one of them. */
  categories: readonly string[];
}

export const MAX_POLICY_REASON = 500;

const reasonOf = (raw: string | null | undefined) => requiredText(raw, 'reason', MAX_POLICY_REASON);

/** R-WO-12: a new policy is version 1; the reason says why it was introduced. */
export function createPolicy(
  input: SlaPolicyInput & { reason?: string | null },
  edit: PolicyEdit,
): SlaPolicyVersion {
  const terms = parseSlaPolicy(input, '', edit.categories);
  return {
    ...terms,
    version: 1,
    change: 'CREATED',
    retired: false,
    changedBy: edit.actor,
    changedAt: edit.now,
    reason: reasonOf(input.reason),
  };
}

export interface PolicyChangeInput extends Omit<SlaPolicyInput, 'id'> {
  /** The version the editor saw; a later one in between is a CONFLICT, not a silent overwrite. */
  expectedVersion?: number | null;
  reason?: string | null;
}

const TERMS = [
  'areaType',
  'category',
  'supplierInvolved',
  'minDistanceKm',
  'maxDistanceKm',
  'arrivalWorkingHours',
  'answerHours',
  'onSiteHours',
  'priority',
] as const satisfies readonly (keyof SlaPolicy)[];

/** The terms of a policy, the part a version changes (id and audit aside). */
export const termsOf = (p: SlaPolicy): Omit<SlaPolicy, 'id'> =>
  Object.fromEntries(TERMS.map((k) => [k, p[k] ?? null])) as Omit<SlaPolicy, 'id'>;

function assertEditable(current: SlaPolicyVersion, expectedVersion: number | null | undefined) {
  if (current.retired) {
    throw conflict(`SLA policy ${current.id} is retired`, 'SLA_POLICY_RETIRED');
  }
  if (expectedVersion !== undefined && expectedVersion !== null) {
    numberIn(expectedVersion, 'expectedVersion', { min: 1, max: 1_000_000, integer: true });
    if (expectedVersion !== current.version) {
      throw conflict(
        `SLA policy ${current.id} is at version ${current.version}, not ${expectedVersion}: reload it and edit again`,
        'SLA_POLICY_VERSION_STALE',
      );
    }
  }
}

/**
 * R-WO-12 a change makes the next version: the terms given replace the current ones (left out:
 * kept; null: cleared), the whole is validated again, and an edit that changes nothing is refused
 * so the history holds only real changes.
 */
export function revisePolicy(
  current: SlaPolicyVersion,
  input: PolicyChangeInput,
  edit: PolicyEdit,
): SlaPolicyVersion {
  assertEditable(current, input.expectedVersion);
  const given = Object.fromEntries(
    TERMS.filter((k) => input[k] !== undefined).map((k) => [k, input[k]]),
  );
  const terms = parseSlaPolicy(
    { ...termsOf(current), ...given, id: current.id },
    '',
    edit.categories,
  );
  const reason = reasonOf(input.reason);
  if (JSON.stringify(termsOf(terms)) === JSON.stringify(termsOf(current))) {
    throw invalidArgument(
      `the change leaves SLA policy ${current.id} as it is`,
      undefined,
      'SLA_POLICY_UNCHANGED',
    );
  }
  return {
    ...terms,
    version: current.version + 1,
    change: 'CHANGED',
    retired: false,
    changedBy: edit.actor,
    changedAt: edit.now,
    reason,
  };
}

/** R-WO-12 a retired policy no longer applies to new orders; orders registered under it keep it. */
export function retirePolicy(
  current: SlaPolicyVersion,
  input: { expectedVersion?: number | null; reason?: string | null },
  edit: Pick<PolicyEdit, 'actor' | 'now'>,
): SlaPolicyVersion {
  assertEditable(current, input.expectedVersion);
  return {
    id: current.id,
    ...termsOf(current),
    version: current.version + 1,
    change: 'RETIRED',
    retired: true,
    changedBy: edit.actor,
    changedAt: edit.now,
    reason: reasonOf(input.reason),
  };
}

/** `workorder.sla_policy_changed`: the version as it now stands, with who, when and why. */
export const policyChangedEventData = (v: SlaPolicyVersion): SlaPolicyChanged => ({
  policyId: v.id,
  version: v.version,
  change: v.change,
  retired: v.retired,
  ...termsOf(v),
  supplierInvolved: v.supplierInvolved ?? null,
  changedBy: v.changedBy,
  changedAt: v.changedAt.toISOString(),
  reason: v.reason,
});
