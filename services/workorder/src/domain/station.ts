import { conflict, requiredText } from '@aftercare/kit/domain';
import { optionalStationCode, stationCode } from '@aftercare/kernel';
import { isCompleted, isOpen, type WorkOrderStatus } from './status';

/**
 * The service station (服务站) a work order belongs to: the station that handles it, whose own
 * warehouse issues its parts (R-IN-1) and whose figures the docs/rules.md §6 KPIs are cut by.
 *
 * At intake it is the station given with the request; otherwise the station of the staff member
 * registering it (the roster carries each person's station); otherwise the configured default
 * (one-station deployments); otherwise none.
 */
export function stationAtIntake(
  requested: string | null | undefined,
  registrarStation: string | null,
  defaultStation: string | null,
): string | null {
  return optionalStationCode(requested, 'stationCode') ?? registrarStation ?? defaultStation;
}

export interface StationChange {
  from: string | null;
  to: string;
  reason: string;
}

/**
 * Handing a work order to another station, with a reason (kept in the history). Only while the
 * work is not done: a completed order's station is what `workorder.completed` reported to the KPIs,
 * and moving it afterwards would silently shift figures already counted elsewhere.
 */
export function planStationChange(
  status: WorkOrderStatus,
  current: string | null,
  input: { stationCode?: string | null; reason?: string | null },
): StationChange {
  const to = stationCode(input.stationCode, 'stationCode');
  const reason = requiredText(input.reason, 'reason', 500);
  if (!isOpen(status) || isCompleted(status)) {
    throw conflict(
      `the station of a work order can change only before the work is done (it is ${status})`,
      'STATION_CHANGE_AFTER_COMPLETION',
    );
  }
  if (to === current)
    throw conflict(`the work order is already with station ${to}`, 'SAME_STATION');
  return { from: current, to, reason };
}
