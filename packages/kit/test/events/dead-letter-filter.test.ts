import { matchesFilter, parseDeadLetterFilter, type ParkedEvent } from '../../src/events';

// ADR 0025: which parked events an operator means; a bad filter is refused before anything is read.
const parked: ParkedEvent = {
  service: 'survey',
  consumer: 'survey-on-workorder-completed',
  sequence: 7,
  reason: 'poison',
  error: 'boom',
  attempts: 10,
  parkedAt: '2026-12-01T10:00:00.000Z',
  original: {
    stream: 'AFTERCARE_WORKORDER',
    sequence: 42,
    subject: 'aftercare.workorder.completed',
  },
  eventId: '01938f5e-0000-7000-8000-000000000001',
  eventType: 'workorder.completed',
  body: '{}',
};

describe('dead-letter filters', () => {
  it('match on every criterion given, and all parked events when none is', () => {
    expect(matchesFilter(parked, parseDeadLetterFilter({}))).toBe(true);
    expect(matchesFilter(parked, parseDeadLetterFilter(null))).toBe(true);
    const hit = parseDeadLetterFilter({
      service: 'survey',
      consumer: 'survey-on-workorder-completed',
      eventType: 'workorder.completed',
      eventId: parked.eventId,
      parkedFrom: '2026-12-01T10:00:00Z',
      parkedTo: '2026-12-01T18:00:00+08:00',
    });
    expect(matchesFilter(parked, hit)).toBe(true);
    for (const miss of [
      { service: 'customer' },
      { consumer: 'survey-on-customer' },
      { eventType: 'workorder.closed' },
      { eventId: '01938f5e-0000-7000-8000-000000000002' },
      { parkedFrom: '2026-12-01T10:00:01Z' },
      { parkedTo: '2026-12-01T09:59:59Z' },
    ])
      expect(matchesFilter(parked, parseDeadLetterFilter(miss))).toBe(false);
  });

  it.each([
    [{ service: 'Survey' }, 'service'],
    [{ consumer: 'has.dot' }, 'consumer'],
    [{ eventType: 'completed' }, 'eventType'],
    [{ eventId: 'not-an-id' }, 'eventId'],
    [{ parkedFrom: 'yesterday' }, 'parkedFrom'],
    [{ parkedFrom: '2026-12-02T00:00:00Z', parkedTo: '2026-12-01T00:00:00Z' }, 'parkedTo'],
  ])('refuse %j naming %s', (filter, field) => {
    expect(() => parseDeadLetterFilter(filter)).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        reason: 'INVALID_DEAD_LETTER_FILTER',
        field,
      }),
    );
  });

  it('refuse what they do not know', () => {
    expect(() => parseDeadLetterFilter({ colour: 'red' })).toThrow(
      expect.objectContaining({ reason: 'INVALID_DEAD_LETTER_FILTER' }),
    );
  });
});
