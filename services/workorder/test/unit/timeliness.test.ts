import { BusinessCalendar } from '@aftercare/calendar';
import { slaOutcome, timeliness } from '../../src/domain';

const calendar = new BusinessCalendar();
const at = (local: string) => calendar.fromLocal(local);
// Friday 16:00 urban call: answer due Saturday 16:00, arrival due Monday 13:00.
const deadlines = {
  answerDueAt: at('2026-11-28T16:00'),
  arrivalDueAt: at('2026-11-30T13:00'),
  onSiteDueAt: null,
};
const monday = (time: string) => at(`2026-11-30T${time}`);

describe('SPEC §6 service timeliness', () => {
  it('R-WO-3 an order meets its SLA only when every deadline was met on time', () => {
    const answered = at('2026-11-27T16:30');
    expect(
      slaOutcome(deadlines, { answeredAt: answered, arrivedAt: monday('13:00') }, monday('18:00')),
    ).toBe('MET');
    expect(
      slaOutcome(deadlines, { answeredAt: answered, arrivedAt: monday('13:01') }, monday('18:00')),
    ).toBe('MISSED');
    // Answered late, arrived on time: still missed.
    expect(
      slaOutcome(
        deadlines,
        { answeredAt: at('2026-11-28T16:01'), arrivedAt: monday('09:00') },
        monday('18:00'),
      ),
    ).toBe('MISSED');
    // Not arrived yet, not due yet: pending; once due: missed.
    expect(slaOutcome(deadlines, { answeredAt: answered }, monday('12:59'))).toBe('PENDING');
    expect(slaOutcome(deadlines, { answeredAt: answered }, monday('13:01'))).toBe('MISSED');
  });

  it('the rate is met over decided orders; cancelled and SLA-less orders are not counted', () => {
    const facts = { answeredAt: at('2026-11-27T16:30'), arrivedAt: monday('10:00') };
    const now = monday('18:00');
    expect(
      timeliness(
        [
          { status: 'CLOSED', deadlines, facts },
          { status: 'CLOSED', deadlines, facts: { ...facts, arrivedAt: monday('14:00') } },
          // Called Monday 16:00: due on site Tuesday 13:00, not there yet at 18:00 Monday.
          {
            status: 'DISPATCHED',
            deadlines: {
              answerDueAt: at('2026-12-01T16:00'),
              arrivalDueAt: at('2026-12-01T13:00'),
              onSiteDueAt: null,
            },
            facts: { answeredAt: monday('16:10') },
          },
          { status: 'CANCELLED', deadlines, facts: {} },
          { status: 'CLOSED', deadlines: null, facts },
        ],
        now,
      ),
    ).toEqual({ workOrders: 3, met: 1, missed: 1, pending: 1, rate: 0.5 });
    expect(timeliness([], now)).toEqual({
      workOrders: 0,
      met: 0,
      missed: 0,
      pending: 0,
      rate: null,
    });
  });
});
