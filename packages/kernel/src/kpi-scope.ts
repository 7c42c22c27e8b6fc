import {
  forbidden,
  hasRole,
  type Identity,
  invalidArgument,
  isoDate,
  optionalText,
  type Role,
  staffId,
} from '@aftercare/kit/domain';
import { optionalStationCode } from './station';

/**
 * docs/rules.md §6: every KPI is a figure over a period of business dates (`from`..`to`, both
 * inclusive, in the business time zone), for the whole organisation or narrowed to a region, a
 * service station and/or a technician. As it arrives from the graph or a call.
 */
export interface KpiScopeInput {
  from?: string | null;
  to?: string | null;
  province?: string | null;
  city?: string | null;
  district?: string | null;
  stationCode?: string | null;
  technicianId?: string | null;
}

/** A checked scope: dates exist and run forwards, every narrowing is valid or null. */
export interface KpiScope {
  from: string;
  to: string;
  province: string | null;
  city: string | null;
  district: string | null;
  stationCode: string | null;
  technicianId: string | null;
}

/** `at` prefixes the field names of refusals, e.g. `scope.` for the graph's `scope` argument. */
export function parseKpiScope(input: KpiScopeInput, at = ''): KpiScope {
  const from = isoDate(input.from, `${at}from`);
  const to = isoDate(input.to, `${at}to`);
  if (from > to) throw invalidArgument('from must not be after to', `${at}from`, 'INVALID_PERIOD');
  return {
    from,
    to,
    province: optionalText(input.province, `${at}province`, 50),
    city: optionalText(input.city, `${at}city`, 50),
    district: optionalText(input.district, `${at}district`, 50),
    stationCode: optionalStationCode(input.stationCode, `${at}stationCode`),
    technicianId: input.technicianId ? staffId(input.technicianId, `${at}technicianId`) : null,
  };
}

/**
 * A KPI query's arguments in the graph: `scope: KpiScopeInput`, or the separate arguments it
 * replaces (deprecated, still answered until they are removed).
 */
export interface KpiScopeArgs extends KpiScopeInput {
  scope?: KpiScopeInput | null;
}

/**
 * The scope a KPI query asked for, checked: from `scope`, or from the deprecated separate
 * arguments — not both (SCOPE_TWICE). A narrowing the KPI cannot apply is refused
 * (SCOPE_NOT_SUPPORTED) rather than ignored, so a figure never silently covers more than asked.
 */
export function parseKpiScopeArgs(
  args: KpiScopeArgs,
  unsupported: readonly (keyof KpiScopeInput)[] = [],
): KpiScope {
  const { scope, ...separate } = args;
  const separateGiven = Object.values(separate).some((v) => v !== null && v !== undefined);
  if (scope && separateGiven)
    throw invalidArgument(
      'give the scope either as scope or as the separate (deprecated) arguments, not both',
      'scope',
      'SCOPE_TWICE',
    );
  const at = scope ? 'scope.' : '';
  const input = scope ?? separate;
  for (const key of unsupported) {
    if (input[key] !== null && input[key] !== undefined)
      throw invalidArgument(
        `this figure cannot be narrowed by ${key}`,
        `${at}${key}`,
        'SCOPE_NOT_SUPPORTED',
      );
  }
  return parseKpiScope(input, at);
}

/** The business date after `date` (`YYYY-MM-DD`): a period `from..to` is `[from, dayAfter(to))`. */
export function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export interface KpiReaders {
  /** Roles that read every scope (`admin` always does). */
  readers: readonly Role[];
  /**
   * What a staff member outside `readers` gets when they name no technician: their own figures
   * (a technician's app asks without naming them), or a refusal (the figure is a report).
   */
  unnamed: 'own' | 'refuse';
}

/**
 * The one reader rule of every KPI: report readers see any scope; anyone else sees only their own
 * technician figures — a colleague's are FORBIDDEN, whatever else the scope says.
 */
export function scopeForReader(me: Identity, scope: KpiScope, rule: KpiReaders): KpiScope {
  if (hasRole(me, ...rule.readers)) return scope;
  const own = scope.technicianId ?? (rule.unnamed === 'own' ? me.userId : null);
  if (own !== me.userId)
    throw forbidden('staff outside the report readers see only their own figures');
  return { ...scope, technicianId: own };
}
