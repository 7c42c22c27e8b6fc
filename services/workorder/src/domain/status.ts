import { conflict, invalidArgument } from '@aftercare/kit/domain';
import { optionalText } from './values';

/** R-WO-2 statuses, in the order a job normally passes through them. */
export const WORK_ORDER_STATUSES = [
  'REGISTERED',
  'DISPATCHED',
  'EN_ROUTE',
  'ON_SITE',
  'RESOLVED_ON_SITE',
  'TAKEN_BACK',
  'IN_WORKSHOP',
  'REPAIRED',
  'RETURNED',
  'SIGNED',
  'CLOSED',
  'CANCELLED',
] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

export const WORK_ORDER_ACTIONS = [
  'dispatch',
  'depart',
  'arrive',
  'resolveOnSite',
  'takeBack',
  'receiveInWorkshop',
  'finishRepair',
  'returnToCustomer',
  'sign',
  'close',
  'cancel',
] as const;
export type WorkOrderAction = (typeof WORK_ORDER_ACTIONS)[number];

/** How the request came in (R-WO-1); a walk-in brings the product along. */
export const CHANNELS = ['PHONE', 'LETTER', 'WALK_IN', 'WEB'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface TransitionContext {
  /** The order's intake channel; decides whether a take-back straight from intake is allowed. */
  channel?: Channel | null;
  /** Required for `cancel`. */
  reason?: string | null;
}

interface Move {
  readonly from: readonly WorkOrderStatus[];
  readonly to: WorkOrderStatus;
}

export const CLOSED_STATUSES: readonly WorkOrderStatus[] = ['SIGNED', 'CLOSED', 'CANCELLED'];
const OPEN_STATUSES = WORK_ORDER_STATUSES.filter((s) => !CLOSED_STATUSES.includes(s));
/** Work is finished and the customer may sign; entering one of these emits `workorder.completed`. */
const WORK_DONE_STATUSES: readonly WorkOrderStatus[] = ['RESOLVED_ON_SITE', 'RETURNED'];
/** Technicians may be swapped until they are on site (a dispatch concern, no status change). */
export const REASSIGNABLE_STATUSES: readonly WorkOrderStatus[] = ['DISPATCHED', 'EN_ROUTE'];

const MOVES: Record<WorkOrderAction, Move> = {
  dispatch: { from: ['REGISTERED'], to: 'DISPATCHED' },
  depart: { from: ['DISPATCHED'], to: 'EN_ROUTE' },
  arrive: { from: ['EN_ROUTE'], to: 'ON_SITE' },
  resolveOnSite: { from: ['ON_SITE'], to: 'RESOLVED_ON_SITE' },
  // REGISTERED is allowed for walk-ins only: the customer hands the product over at intake.
  takeBack: { from: ['ON_SITE', 'REGISTERED'], to: 'TAKEN_BACK' },
  receiveInWorkshop: { from: ['TAKEN_BACK'], to: 'IN_WORKSHOP' },
  finishRepair: { from: ['IN_WORKSHOP'], to: 'REPAIRED' },
  returnToCustomer: { from: ['REPAIRED'], to: 'RETURNED' },
  sign: { from: WORK_DONE_STATUSES, to: 'SIGNED' },
  close: { from: ['SIGNED'], to: 'CLOSED' },
  cancel: { from: OPEN_STATUSES, to: 'CANCELLED' },
};

export const isOpen = (status: WorkOrderStatus): boolean => !CLOSED_STATUSES.includes(status);
/** RESOLVED_ON_SITE or RETURNED: the work is finished and awaits the customer's signature. */
export const isWorkDone = (status: WorkOrderStatus): boolean => WORK_DONE_STATUSES.includes(status);
/** Work done, whether or not signed and closed since (reports count these as completed jobs). */
export const isCompleted = (status: WorkOrderStatus): boolean =>
  isWorkDone(status) || status === 'SIGNED' || status === 'CLOSED';
export const canSign = isWorkDone;

/** R-WO-6: the customer signs only after the work is done. */
export function assertCanSign(status: WorkOrderStatus): void {
  if (canSign(status)) return;
  if (isOpen(status)) {
    throw conflict(
      `the customer can sign only after the work is done (the work order is ${status})`,
      'SIGNATURE_BEFORE_COMPLETION',
    );
  }
  throw illegal(status, 'sign');
}

/**
 * R-WO-2: the status after `action`, or a FAILED_PRECONDITION `ILLEGAL_TRANSITION` naming from and
 * to. Signing before the work is done has its own reason, `SIGNATURE_BEFORE_COMPLETION`.
 */
export function transition(
  current: WorkOrderStatus,
  action: WorkOrderAction,
  context: TransitionContext = {},
): WorkOrderStatus {
  if (action === 'sign') assertCanSign(current);
  if (!isAllowed(current, action, context)) throw illegal(current, action);
  if (action === 'cancel' && !optionalText(context.reason, 'reason', 500)) {
    throw invalidArgument('a cancellation needs a reason', 'reason', 'REQUIRED');
  }
  return MOVES[action].to;
}

/** Actions that are legal now (for the UI; `cancel` still needs a reason). */
export function allowedActions(
  current: WorkOrderStatus,
  context: TransitionContext = {},
): WorkOrderAction[] {
  return WORK_ORDER_ACTIONS.filter((action) => isAllowed(current, action, context));
}

function isAllowed(
  current: WorkOrderStatus,
  action: WorkOrderAction,
  context: TransitionContext,
): boolean {
  if (!MOVES[action].from.includes(current)) return false;
  return !(action === 'takeBack' && current === 'REGISTERED' && context.channel !== 'WALK_IN');
}

function illegal(current: WorkOrderStatus, action: WorkOrderAction) {
  const to = MOVES[action].to;
  const why =
    action === 'takeBack' && current === 'REGISTERED'
      ? ' (only a walk-in hands the product over at intake)'
      : '';
  return conflict(
    `cannot ${action}: a work order cannot go from ${current} to ${to}${why}`,
    'ILLEGAL_TRANSITION',
  );
}
