import type { ComplaintRegistered } from '@aftercare/events';
import { complaintContact } from '../../src/domain/contact-sources';

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
