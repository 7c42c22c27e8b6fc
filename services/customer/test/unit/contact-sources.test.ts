import type { ComplaintRegistered, SurveyFollowUpCalled } from '@aftercare/events';
import { complaintContact, followUpCallContact } from '../../src/domain/contact-sources';

const complaint = (channel: string): ComplaintRegistered => ({
  complaintId: '01a20ed2-f4ee-72f4-9671-f8b4f2400601',
  number: 'CP-1',
  customerId: '01a20ed2-f4ee-72f4-9671-f8b4f2400602',
  workOrderId: null,
  category: 'REPAIR_QUALITY',
  channel,
  majorReasons: [],
  repeatOfComplaintId: null,
  aboutStaffIds: [],
  receivedAt: '2026-11-21T02:00:00.000Z',
  recordedBy: 'cr-1',
});

describe('R-CU-5 contacts taken down by other services', () => {
  it.each([
    ['PHONE', 'PHONE'],
    ['CALL_CENTRE', 'PHONE'],
    ['LETTER', 'LETTER'],
    ['VISIT', 'VISIT'],
    ['WEB', 'WEB'],
  ])('a complaint received by %s is an inbound %s contact', (channel, logged) => {
    expect(complaintContact(complaint(channel))?.entry).toMatchObject({
      channel: logged,
      direction: 'INBOUND',
      purpose: 'COMPLAINT',
      staffId: 'cr-1',
    });
  });

  it.each(['MANUFACTURER', 'MEDIA', 'FOLLOW_UP'])(
    'a complaint through %s is no contact of the customer with us (or is logged as the follow-up call)',
    (channel) => expect(complaintContact(complaint(channel))).toBeNull(),
  );
});

describe('R-CU-5 R-SV-2 follow-up calls', () => {
  const call = (outcome: SurveyFollowUpCalled['outcome'], summary: string | null) =>
    followUpCallContact({
      followUpId: '01a20ed2-f4ee-72f4-9671-f8b4f2400603',
      callId: '01a20ed2-f4ee-72f4-9671-f8b4f2400604',
      workOrderId: '01a20ed2-f4ee-72f4-9671-f8b4f2400605',
      customerId: '01a20ed2-f4ee-72f4-9671-f8b4f2400602',
      sequence: 2,
      outcome,
      followedUp: outcome === 'REACHED' || outcome === 'REFUSED',
      agentId: 'agent-1',
      calledAt: '2026-12-04T02:00:00.000Z',
      workOrderNumber: 'WO-20261124-0042',
      summary,
      complaint: null,
    });

  it.each([
    ['REACHED', 'reached'],
    ['NO_ANSWER', 'no answer'],
    ['REFUSED', 'refused to talk'],
    ['CALLBACK_REQUESTED', 'asked to be called back'],
  ] as const)('a call %s is logged as "%s", with the agent\'s notes', (outcome, text) => {
    expect(call(outcome, null)?.entry.summary).toBe(
      `Follow-up call 2 for WO-20261124-0042: ${text}`,
    );
    expect(call(outcome, 'notes')).toMatchObject({
      entryId: '01a20ed2-f4ee-72f4-9671-f8b4f2400604',
    });
    expect(call(outcome, 'notes')?.entry).toMatchObject({
      channel: 'PHONE',
      direction: 'OUTBOUND',
      purpose: 'FOLLOW_UP',
      summary: `Follow-up call 2 for WO-20261124-0042: ${text}. notes`,
      customerRequest: null,
      staffId: 'agent-1',
      reference: 'workorder:01a20ed2-f4ee-72f4-9671-f8b4f2400605',
    });
  });

  it('a call published before calls came by event was logged by the survey service itself', () => {
    const { workOrderNumber: _n, ...older } = {
      followUpId: '01a20ed2-f4ee-72f4-9671-f8b4f2400603',
      callId: '01a20ed2-f4ee-72f4-9671-f8b4f2400604',
      workOrderId: '01a20ed2-f4ee-72f4-9671-f8b4f2400605',
      customerId: '01a20ed2-f4ee-72f4-9671-f8b4f2400602',
      sequence: 1,
      outcome: 'REACHED' as const,
      followedUp: true,
      agentId: 'agent-1',
      calledAt: '2026-12-04T02:00:00.000Z',
      workOrderNumber: 'WO-20261124-0042',
    };
    expect(followUpCallContact(older)).toBeNull();
  });
});
