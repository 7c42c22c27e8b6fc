import { AppError } from '@aftercare/kit';
import {
  alreadyDecidedAs,
  checkDestructionApproval,
  checkDestructionRequest,
  decisionReason,
  isPastRetention,
  lastActivityDayPastRetention,
  liveStatus,
  type PendingDestruction,
  type RetentionFacts,
  retentionEndsOn,
} from '../../src/domain/retention';

const reasonOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return `${e.code} ${e.reason}`;
    throw e;
  }
  return 'accepted';
};

const file = (lastActivityDay: string, status: RetentionFacts['status'] = 'ACTIVE') => ({
  code: 'CUS-000042',
  status,
  lastActivityDay,
  lastActivityAt: new Date(`${lastActivityDay}T02:00:00Z`),
});

describe('R-CU-4 the retention clock', () => {
  it('R-CU-4 retention ends 10 years after the day of the last activity', () => {
    expect(retentionEndsOn('2016-03-05', 10)).toBe('2026-03-05');
    expect(retentionEndsOn('2016-02-29', 1)).toBe('2017-02-28');
    expect(isPastRetention('2026-03-05', '2026-03-04')).toBe(false);
    expect(isPastRetention('2026-03-05', '2026-03-05')).toBe(true);
  });

  it('R-CU-4 the cut-off day is the latest last-activity day past retention on the day asked', () => {
    expect(lastActivityDayPastRetention('2026-03-05', 10)).toBe('2016-03-05');
    // 29 February 2016 + 10 years is 28 February 2026: past retention on that day already.
    expect(lastActivityDayPastRetention('2026-02-28', 10)).toBe('2016-02-29');
    expect(lastActivityDayPastRetention('2025-02-28', 1)).toBe('2024-02-29');
    for (const asOf of ['2026-01-01', '2026-02-28', '2026-03-01', '2028-02-29']) {
      const last = lastActivityDayPastRetention(asOf, 10);
      expect(isPastRetention(retentionEndsOn(last, 10), asOf)).toBe(true);
    }
  });
});

describe('R-CU-4 requesting a destruction', () => {
  it('R-CU-4 a file past retention may be proposed; its retention end is kept', () => {
    expect(checkDestructionRequest(file('2015-06-01'), '2026-12-04', 10, null)).toBe('2025-06-01');
  });

  it('R-CU-4 refused before retention ends, for a destroyed file and with a request open', () => {
    expect(
      reasonOf(() => checkDestructionRequest(file('2017-06-01'), '2026-12-04', 10, null)),
    ).toBe('FAILED_PRECONDITION NOT_PAST_RETENTION');
    expect(
      reasonOf(() =>
        checkDestructionRequest(file('2015-06-01', 'DESTROYED'), '2026-12-04', 10, null),
      ),
    ).toBe('FAILED_PRECONDITION FILE_DESTROYED');
    expect(
      reasonOf(() =>
        checkDestructionRequest(file('2015-06-01'), '2026-12-04', 10, { status: 'REQUESTED' }),
      ),
    ).toBe('FAILED_PRECONDITION DESTRUCTION_ALREADY_REQUESTED');
  });

  it('R-CU-4 a request and a rejection say why', () => {
    expect(reasonOf(() => decisionReason('  '))).toBe('INVALID_ARGUMENT REQUIRED');
    expect(reasonOf(() => decisionReason('x'.repeat(501)))).toBe('INVALID_ARGUMENT TOO_LONG');
    expect(decisionReason(' retention over ')).toBe('retention over');
  });
});

describe('R-CU-4 approving a destruction', () => {
  const request: PendingDestruction = {
    status: 'REQUESTED',
    requestedBy: 'keeper-1',
    decidedBy: null,
    lastActivityAt: new Date('2015-06-01T02:00:00Z'),
  };
  const approve = (r: PendingDestruction, approver: string, f = file('2015-06-01'), years = 10) =>
    reasonOf(() => checkDestructionApproval(r, approver, f, '2026-12-04', years));

  it('R-CU-4 another manager approves a pending request on a file untouched since', () => {
    expect(approve(request, 'manager-2')).toBe('accepted');
  });

  it('R-CU-4 the requester cannot approve their own request', () => {
    expect(approve(request, 'keeper-1')).toBe('FAILED_PRECONDITION APPROVER_IS_REQUESTER');
  });

  it('R-CU-4 new activity since the request refuses the approval', () => {
    const touched = { ...file('2015-06-01'), lastActivityAt: new Date('2015-06-01T03:00:00Z') };
    expect(approve(request, 'manager-2', touched)).toBe(
      'FAILED_PRECONDITION ACTIVITY_SINCE_REQUEST',
    );
  });

  it('R-CU-4 a longer retention set since the request refuses the approval', () => {
    expect(approve(request, 'manager-2', file('2015-06-01'), 20)).toBe(
      'FAILED_PRECONDITION NOT_PAST_RETENTION',
    );
  });

  it('R-CU-4 a decided request is decided; a repeat by the same manager is recognised', () => {
    const done = { ...request, status: 'DESTROYED' as const, decidedBy: 'manager-2' };
    expect(approve(done, 'manager-3')).toBe('FAILED_PRECONDITION ALREADY_DECIDED');
    expect(alreadyDecidedAs(done, 'DESTROYED', 'manager-2')).toBe(true);
    expect(alreadyDecidedAs(done, 'DESTROYED', 'manager-3')).toBe(false);
    expect(alreadyDecidedAs(done, 'REJECTED', 'manager-2')).toBe(false);
  });

  it('R-CU-4 a destroyed file takes no changes', () => {
    expect(liveStatus({ status: 'INACTIVE', code: 'CUS-1' })).toBe('INACTIVE');
    expect(reasonOf(() => liveStatus({ status: 'DESTROYED', code: 'CUS-1' }))).toBe(
      'FAILED_PRECONDITION FILE_DESTROYED',
    );
  });
});
