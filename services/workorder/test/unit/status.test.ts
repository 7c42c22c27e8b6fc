import {
  CHANNELS,
  WORK_ORDER_ACTIONS,
  WORK_ORDER_STATUSES,
  WorkOrderAction,
  WorkOrderStatus,
  allowedActions,
  assertCanSign,
  canSign,
  isCompleted,
  isOpen,
  isWorkDone,
  transition,
} from '../../src/domain';
import { errorOf } from './helpers';

const OPEN: WorkOrderStatus[] = [
  'REGISTERED',
  'DISPATCHED',
  'EN_ROUTE',
  'ON_SITE',
  'RESOLVED_ON_SITE',
  'TAKEN_BACK',
  'IN_WORKSHOP',
  'REPAIRED',
  'RETURNED',
];

/** The legal moves of R-WO-2, written out independently of the implementation's table. */
const LEGAL: [WorkOrderStatus, WorkOrderAction, WorkOrderStatus][] = [
  ['REGISTERED', 'dispatch', 'DISPATCHED'],
  ['DISPATCHED', 'depart', 'EN_ROUTE'],
  ['EN_ROUTE', 'arrive', 'ON_SITE'],
  ['ON_SITE', 'resolveOnSite', 'RESOLVED_ON_SITE'],
  ['ON_SITE', 'takeBack', 'TAKEN_BACK'],
  ['TAKEN_BACK', 'receiveInWorkshop', 'IN_WORKSHOP'],
  ['IN_WORKSHOP', 'finishRepair', 'REPAIRED'],
  ['REPAIRED', 'returnToCustomer', 'RETURNED'],
  ['RESOLVED_ON_SITE', 'sign', 'SIGNED'],
  ['RETURNED', 'sign', 'SIGNED'],
  ['SIGNED', 'close', 'CLOSED'],
  ...OPEN.map((s): [WorkOrderStatus, WorkOrderAction, WorkOrderStatus] => [
    s,
    'cancel',
    'CANCELLED',
  ]),
];
const WALK_IN_ONLY: [WorkOrderStatus, WorkOrderAction, WorkOrderStatus] = [
  'REGISTERED',
  'takeBack',
  'TAKEN_BACK',
];

const pairs = WORK_ORDER_STATUSES.flatMap((from) =>
  WORK_ORDER_ACTIONS.map((action) => ({ from, action })),
);
const legalTo = (from: WorkOrderStatus, action: WorkOrderAction) =>
  LEGAL.find(([f, a]) => f === from && a === action)?.[2];
const ctx = { reason: 'customer withdrew the request' };

describe('work order status machine', () => {
  const legal = pairs.filter(({ from, action }) => legalTo(from, action));
  const illegal = pairs.filter(
    ({ from, action }) =>
      !legalTo(from, action) && !(from === WALK_IN_ONLY[0] && action === WALK_IN_ONLY[1]),
  );

  it.each(legal.map(({ from, action }) => [from, action, legalTo(from, action)]))(
    'R-WO-2 allows %s --%s--> %s',
    (from, action, to) => {
      for (const channel of CHANNELS) {
        expect(
          transition(from as WorkOrderStatus, action as WorkOrderAction, { ...ctx, channel }),
        ).toBe(to);
      }
    },
  );

  it.each(illegal.map(({ from, action }) => [from, action]))(
    'R-WO-2 refuses %s --%s--> for every channel',
    (from, action) => {
      for (const channel of CHANNELS) {
        const e = errorOf(() =>
          transition(from as WorkOrderStatus, action as WorkOrderAction, { ...ctx, channel }),
        );
        expect(e.code).toBe('FAILED_PRECONDITION');
        const signingEarly = action === 'sign' && isOpen(from as WorkOrderStatus);
        expect(e.reason).toBe(signingEarly ? 'SIGNATURE_BEFORE_COMPLETION' : 'ILLEGAL_TRANSITION');
        if (!signingEarly) expect(e.message).toContain(`from ${from} to `);
      }
    },
  );

  it('R-WO-2 covers the whole status × action table', () => {
    expect(legal.length + illegal.length + 1).toBe(
      WORK_ORDER_STATUSES.length * WORK_ORDER_ACTIONS.length,
    );
  });

  it('R-WO-2 lets a walk-in hand the product over at intake, nobody else', () => {
    expect(transition('REGISTERED', 'takeBack', { channel: 'WALK_IN' })).toBe('TAKEN_BACK');
    for (const channel of [...CHANNELS.filter((c) => c !== 'WALK_IN'), undefined]) {
      const e = errorOf(() => transition('REGISTERED', 'takeBack', { channel }));
      expect(e).toMatchObject({ reason: 'ILLEGAL_TRANSITION' });
      expect(e.message).toMatch(/REGISTERED to TAKEN_BACK.*walk-in/);
    }
  });

  it('R-WO-2 names from and to in the refusal', () => {
    expect(errorOf(() => transition('CLOSED', 'dispatch')).message).toBe(
      'cannot dispatch: a work order cannot go from CLOSED to DISPATCHED',
    );
  });

  it('R-WO-2 cancels only with a reason', () => {
    for (const reason of [undefined, null, '', '   ']) {
      expect(errorOf(() => transition('DISPATCHED', 'cancel', { reason }))).toMatchObject({
        code: 'INVALID_ARGUMENT',
        field: 'reason',
        reason: 'REQUIRED',
      });
    }
  });

  it('R-WO-2 open, work-done and completed statuses', () => {
    expect(WORK_ORDER_STATUSES.filter(isOpen)).toEqual(OPEN);
    expect(WORK_ORDER_STATUSES.filter(isWorkDone)).toEqual(['RESOLVED_ON_SITE', 'RETURNED']);
    expect(WORK_ORDER_STATUSES.filter(isCompleted)).toEqual([
      'RESOLVED_ON_SITE',
      'RETURNED',
      'SIGNED',
      'CLOSED',
    ]);
  });

  it('R-WO-6 the customer signs only after the work is done', () => {
    expect(WORK_ORDER_STATUSES.filter(canSign)).toEqual(['RESOLVED_ON_SITE', 'RETURNED']);
    expect(() => assertCanSign('RETURNED')).not.toThrow();
    expect(errorOf(() => assertCanSign('ON_SITE'))).toMatchObject({
      code: 'FAILED_PRECONDITION',
      reason: 'SIGNATURE_BEFORE_COMPLETION',
    });
    expect(errorOf(() => assertCanSign('SIGNED'))).toMatchObject({ reason: 'ILLEGAL_TRANSITION' });
  });

  it('R-WO-2 lists the actions allowed now', () => {
    expect(allowedActions('ON_SITE')).toEqual(['resolveOnSite', 'takeBack', 'cancel']);
    expect(allowedActions('REGISTERED')).toEqual(['dispatch', 'cancel']);
    expect(allowedActions('REGISTERED', { channel: 'WALK_IN' })).toEqual([
      'dispatch',
      'takeBack',
      'cancel',
    ]);
    expect(allowedActions('CLOSED')).toEqual([]);
  });
});
