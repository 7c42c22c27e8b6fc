import {
  DEFAULT_FOLLOW_UP_PLAN,
  planFollowUps,
  recordCall,
  secondCallWindow,
  type FollowUpState,
} from '../../src/domain';

const now = new Date('2026-11-24T02:00:00Z');
const planned: FollowUpState = {
  id: 'f1',
  status: 'PLANNED',
  windowStart: '2026-11-27',
  callbackAt: null,
};

describe('follow-up plan (R-SV-2)', () => {
  it('R-SV-2 first call 3–7 days after the service, the second in the following week, no repeated content', () => {
    const [first, second] = planFollowUps('2026-11-24', DEFAULT_FOLLOW_UP_PLAN);
    expect(first).toMatchObject({
      sequence: 1,
      windowStart: '2026-11-27',
      windowEnd: '2026-12-01',
    });
    expect(second).toMatchObject({
      sequence: 2,
      status: 'WAITING',
      windowStart: '2026-12-02',
      windowEnd: '2026-12-08',
    });
    expect(first!.status).toBe('PLANNED');
    expect(first!.topics.filter((t) => second!.topics.includes(t))).toEqual([]);
  });

  it('R-SV-2 crosses month and year ends on business dates', () => {
    const [first, second] = planFollowUps('2026-12-29', DEFAULT_FOLLOW_UP_PLAN);
    expect(first).toMatchObject({ windowStart: '2027-01-01', windowEnd: '2027-01-05' });
    expect(second).toMatchObject({ windowStart: '2027-01-06', windowEnd: '2027-01-12' });
  });

  it('R-SV-2 the second call opens one week after the first call was made, for a week', () => {
    // First call made on day 7 (the last of its window): the second is not due the next day.
    expect(secondCallWindow('2026-12-01', DEFAULT_FOLLOW_UP_PLAN)).toEqual({
      windowStart: '2026-12-08',
      windowEnd: '2026-12-14',
    });
    expect(secondCallWindow('2028-02-22', DEFAULT_FOLLOW_UP_PLAN)).toEqual({
      windowStart: '2028-02-29',
      windowEnd: '2028-03-06',
    });
    expect(() =>
      recordCall({ ...planned, status: 'WAITING' }, { outcome: 'REACHED' }, now),
    ).toThrow(
      expect.objectContaining({ code: 'FAILED_PRECONDITION', reason: 'FIRST_CALL_PENDING' }),
    );
  });

  it('R-SV-2 records reached / no answer / refused / callback requested', () => {
    expect(recordCall(planned, { outcome: 'REACHED', summary: 'all fine' }, now)).toMatchObject({
      status: 'DONE',
      summary: 'all fine',
    });
    expect(recordCall(planned, { outcome: 'REFUSED' }, now).status).toBe('DONE');
    expect(recordCall(planned, { outcome: 'NO_ANSWER' }, now).status).toBe('PLANNED');
    const later = recordCall(
      planned,
      { outcome: 'CALLBACK_REQUESTED', callbackAt: '2026-11-26T10:00:00+08:00' },
      now,
    );
    expect(later).toMatchObject({
      status: 'PLANNED',
      callbackAt: new Date('2026-11-26T02:00:00Z'),
    });
  });

  it('R-SV-2 refuses bad call records and calls on a finished follow-up', () => {
    expect(() => recordCall(planned, { outcome: 'MAYBE' }, now)).toThrow(
      expect.objectContaining({ field: 'outcome' }),
    );
    expect(() => recordCall(planned, { outcome: 'CALLBACK_REQUESTED' }, now)).toThrow(
      expect.objectContaining({ field: 'callbackAt' }),
    );
    expect(() =>
      recordCall(
        planned,
        { outcome: 'CALLBACK_REQUESTED', callbackAt: '2026-11-20T10:00:00+08:00' },
        now,
      ),
    ).toThrow(expect.objectContaining({ reason: 'IN_PAST' }));
    expect(() => recordCall(planned, { outcome: 'NO_ANSWER', complaint: 'rude' }, now)).toThrow(
      expect.objectContaining({ field: 'complaint' }),
    );
    expect(() => recordCall({ ...planned, status: 'DONE' }, { outcome: 'REACHED' }, now)).toThrow(
      expect.objectContaining({ reason: 'FOLLOW_UP_DONE' }),
    );
  });
});
