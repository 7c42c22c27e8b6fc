import { BusinessCalendar } from '@aftercare/calendar';
import { conflict, invalidArgument } from '@aftercare/kit/domain';
import { numberIn, oneOf, optionalText, requiredText } from './values';

/**
 * Where the customer is, for SLA purposes. Policies name URBAN or SUBURBAN (R-WO-3); anything else
 * (countryside, remote sites) is RURAL and falls under the area-independent policies.
 */
export const AREA_TYPES = ['URBAN', 'SUBURBAN', 'RURAL'] as const;
export type AreaType = (typeof AREA_TYPES)[number];

/**
 * R-WO-3 SLA policies are data. A policy applies when each non-null criterion matches; distance
 * bounds are inclusive on both ends (overlaps are settled by specificity, then `priority`).
 *
 * Readings: `arrivalWorkingHours` counts working hours of the business calendar; `answerHours`
 * and `onSiteHours` ("answered within 24 h", "attended on site within 24 h") count elapsed clock
 * hours, because the rulebook says "h", not "working hours", and a customer waits through nights too.
 */
export interface SlaPolicy {
  id: string;
  areaType: AreaType | null;
  category: string | null;
  minDistanceKm: number;
  maxDistanceKm: number | null;
  arrivalWorkingHours: number | null;
  answerHours: number;
  onSiteHours: number | null;
  priority: number;
  /**
   * R-WO-12: true for requests where the supplier (配套厂家) must be involved, false for those where
   * it need not be, null (or absent) for both.
   */
  supplierInvolved?: boolean | null;
}

const base = { category: null, priority: 0, supplierInvolved: null } as const;

/**
 * R-WO-12: "answer within 12 h" also applies when the supplier must be involved, wherever the site
 * is. The fix then waits on the supplier, so no arrival or on-site promise is made at intake.
 */
export const SUPPLIER_INVOLVED_POLICY: SlaPolicy = Object.freeze({
  ...base,
  id: 'supplier-involved',
  areaType: null,
  supplierInvolved: true,
  minDistanceKm: 0,
  maxDistanceKm: null,
  arrivalWorkingHours: null,
  answerHours: 12,
  onSiteHours: null,
});

/**
 * The rulebook's figures (R-WO-3) as default data. In town the working-hour arrival rule is the
 * on-site promise; the elapsed 24 h on-site rule is for other field faults within 100 km (an urban
 * call on Friday afternoon is due Monday, not Saturday).
 */
export const DEFAULT_SLA_POLICIES: readonly SlaPolicy[] = Object.freeze([
  {
    ...base,
    id: 'urban-within-100km',
    areaType: 'URBAN',
    minDistanceKm: 0,
    maxDistanceKm: 100,
    arrivalWorkingHours: 6,
    answerHours: 24,
    onSiteHours: null,
  },
  {
    ...base,
    id: 'suburban-within-100km',
    areaType: 'SUBURBAN',
    minDistanceKm: 0,
    maxDistanceKm: 100,
    arrivalWorkingHours: 7,
    answerHours: 24,
    onSiteHours: null,
  },
  {
    ...base,
    id: 'field-within-100km',
    areaType: null,
    minDistanceKm: 0,
    maxDistanceKm: 100,
    arrivalWorkingHours: null,
    answerHours: 24,
    onSiteHours: 24,
    // Exactly 100 km is still "within 100 km".
    priority: 1,
  },
  {
    ...base,
    id: 'field-beyond-100km',
    areaType: null,
    minDistanceKm: 100,
    maxDistanceKm: null,
    arrivalWorkingHours: null,
    answerHours: 12,
    onSiteHours: null,
  },
]);

export interface SlaSubject {
  areaType: AreaType;
  distanceKm: number;
  category: string;
  /** R-WO-12: the supplier must be involved; false when left out. */
  supplierInvolved?: boolean;
}

/**
 * The most specific policy that matches: one naming supplier involvement first (R-WO-12: the
 * supplier case is the answer the customer gets whatever the site), then more non-null criteria
 * (area type, category), then the higher `priority`, then the lower id so the choice is stable.
 * FAILED_PRECONDITION `NO_SLA_POLICY` when the configured policies leave the case uncovered.
 */
export function selectPolicy<P extends SlaPolicy>(policies: readonly P[], subject: SlaSubject): P {
  const specificity = (p: SlaPolicy) => Number(p.areaType !== null) + Number(p.category !== null);
  const namesSupplier = (p: SlaPolicy) => Number((p.supplierInvolved ?? null) !== null);
  const supplierInvolved = subject.supplierInvolved ?? false;
  const [best] = policies
    .filter((p) => (p.supplierInvolved ?? null) === null || p.supplierInvolved === supplierInvolved)
    .filter(
      (p) =>
        (p.areaType === null || p.areaType === subject.areaType) &&
        (p.category === null || p.category === subject.category) &&
        subject.distanceKm >= p.minDistanceKm &&
        (p.maxDistanceKm === null || subject.distanceKm <= p.maxDistanceKm),
    )
    .sort(
      (a, b) =>
        namesSupplier(b) - namesSupplier(a) ||
        specificity(b) - specificity(a) ||
        b.priority - a.priority ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  if (!best) {
    throw conflict(
      `no SLA policy covers a ${subject.areaType} ${subject.category} request ${subject.distanceKm} km away`,
      'NO_SLA_POLICY',
    );
  }
  return best;
}

export interface SlaPolicyInput {
  id?: string | null;
  areaType?: string | null;
  category?: string | null;
  minDistanceKm?: number | null;
  maxDistanceKm?: number | null;
  arrivalWorkingHours?: number | null;
  answerHours?: number | null;
  onSiteHours?: number | null;
  priority?: number | null;
  supplierInvolved?: boolean | null;
}

const MAX_SLA_HOURS = 24 * 365;

/** Validates a policy an administrator edits; `field` prefixes the paths (e.g. `policies.2`). */
export function parseSlaPolicy(
  input: SlaPolicyInput,
  field = 'policy',
  categories?: readonly string[],
): SlaPolicy {
  const at = (name: string) => (field ? `${field}.${name}` : name);
  const hours = (raw: number | null | undefined, name: string) =>
    raw === null || raw === undefined
      ? null
      : numberIn(raw, at(name), { min: 0, max: MAX_SLA_HOURS, minExclusive: true });
  const minDistanceKm = numberIn(input.minDistanceKm ?? 0, at('minDistanceKm'), {
    min: 0,
    max: 100_000,
  });
  const maxDistanceKm =
    input.maxDistanceKm === null || input.maxDistanceKm === undefined
      ? null
      : numberIn(input.maxDistanceKm, at('maxDistanceKm'), { min: minDistanceKm, max: 100_000 });
  return {
    id: policyId(input.id, at('id')),
    areaType: input.areaType ? oneOf(AREA_TYPES, input.areaType, at('areaType')) : null,
    category: categories
      ? input.category
        ? oneOf(categories, input.category, at('category'))
        : null
      : optionalText(input.category, at('category'), 32),
    minDistanceKm,
    maxDistanceKm,
    arrivalWorkingHours: hours(input.arrivalWorkingHours, 'arrivalWorkingHours'),
    answerHours: numberIn(input.answerHours, at('answerHours'), {
      min: 0,
      max: MAX_SLA_HOURS,
      minExclusive: true,
    }),
    onSiteHours: hours(input.onSiteHours, 'onSiteHours'),
    priority: numberIn(input.priority ?? 0, at('priority'), {
      min: -1000,
      max: 1000,
      integer: true,
    }),
    supplierInvolved: input.supplierInvolved ?? null,
  };
}

/** Policy ids are quoted in URLs, events and logs: letters, digits, `-` and `_`, up to 64. */
export function policyId(raw: string | null | undefined, field: string): string {
  const id = requiredText(raw, field, 64);
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(id)) {
    throw invalidArgument(
      `${field} may hold only letters, digits, "-" and "_" (got "${id}")`,
      field,
      'INVALID_POLICY_ID',
    );
  }
  return id;
}

export interface SlaDeadlines {
  answerDueAt: Date;
  arrivalDueAt: Date | null;
  onSiteDueAt: Date | null;
}

const HOUR_MS = 3_600_000;

/** Every work order carries its deadlines (R-WO-3), counted from the call. */
export function computeDeadlines(
  policy: SlaPolicy,
  calledAt: Date,
  calendar: BusinessCalendar,
): SlaDeadlines {
  const elapsed = (hours: number) => new Date(calledAt.getTime() + Math.round(hours * HOUR_MS));
  return {
    answerDueAt: elapsed(policy.answerHours),
    arrivalDueAt:
      policy.arrivalWorkingHours === null
        ? null
        : calendar.addWorkingHours(calledAt, policy.arrivalWorkingHours),
    onSiteDueAt: policy.onSiteHours === null ? null : elapsed(policy.onSiteHours),
  };
}

export const SLA_KINDS = ['ANSWER', 'ARRIVAL', 'ON_SITE'] as const;
export type SlaKind = (typeof SLA_KINDS)[number];

export interface SlaFacts {
  /** When the customer was first given an answer (a call back, a dispatch confirmation). */
  answeredAt?: Date | null;
  /** When a technician arrived on site; meets both ARRIVAL and ON_SITE. */
  arrivedAt?: Date | null;
}

function dueAndMet(deadlines: SlaDeadlines, facts: SlaFacts) {
  return {
    ANSWER: { due: deadlines.answerDueAt, met: facts.answeredAt ?? null },
    ARRIVAL: { due: deadlines.arrivalDueAt, met: facts.arrivedAt ?? null },
    ON_SITE: { due: deadlines.onSiteDueAt, met: facts.arrivedAt ?? null },
  };
}

/**
 * Deadlines breached as of `now`: met after the deadline, or still unmet once it has passed.
 * A deadline met exactly on time, or not yet passed, is no breach.
 */
export function breachesAt(deadlines: SlaDeadlines, facts: SlaFacts, now: Date): SlaKind[] {
  const all = dueAndMet(deadlines, facts);
  return SLA_KINDS.filter((kind) => {
    const { due, met } = all[kind];
    if (!due) return false;
    return (met ?? now).getTime() > due.getTime();
  });
}

/** The earliest deadline still to be met, or null when all are met (the dispatch board sorts by it). */
export function nextDueAt(deadlines: SlaDeadlines, facts: SlaFacts): Date | null {
  const pending = Object.values(dueAndMet(deadlines, facts))
    .filter(({ due, met }) => due !== null && met === null)
    .map(({ due }) => (due as Date).getTime());
  return pending.length === 0 ? null : new Date(Math.min(...pending));
}
