import { z } from 'zod';
import { eventData } from '../../src/events';
import type { EventEnvelope } from '../../src/events';

// How the consumer treats INVALID_EVENT (terminated at once, never retried) is R-EV-9 in
// consumer.test.ts; these prove which data earns it.
const contract = z.object({
  customerId: z.string(),
  summary: z.string(),
  lines: z.array(z.string()),
});

const envelope = (data: Record<string, unknown>): EventEnvelope => ({
  specversion: '1.0',
  id: '0190f0f0-0000-7000-8000-000000000001',
  source: 'customer',
  type: 'customer.contact_logged',
  time: '2026-11-27T08:00:00Z',
  subject: 'c-1',
  datacontenttype: 'application/json',
  dataschema: 'docs/events/schemas/customer.contact_logged.v1.json',
  dataversion: '1',
  data,
});

describe('eventData: the input policy at the event edge', () => {
  it('R-EV-9 refuses data breaking the contract as INVALID_EVENT', () => {
    expect(() => eventData(contract, envelope({ customerId: 1 }))).toThrow(
      expect.objectContaining({ reason: 'INVALID_EVENT', field: 'data' }),
    );
  });

  it('refuses a NUL or an unpaired surrogate in the data as INVALID_EVENT naming where (it would fail the write)', () => {
    const nul = { customerId: 'c-1', summary: 'called\u0000', lines: [] };
    expect(() => eventData(contract, envelope(nul))).toThrow(
      expect.objectContaining({
        reason: 'INVALID_EVENT',
        message: 'malformed customer.contact_logged: summary must not contain NUL characters',
      }),
    );
    const surrogate = { customerId: 'c-1', summary: 'ok', lines: ['fine', 'bad \ud800'] };
    expect(() => eventData(contract, envelope(surrogate))).toThrow(/lines\.1 is not valid Unicode/);
  });

  it('accepts long texts: their limit was applied where they came in', () => {
    const long = { customerId: 'c-1', summary: '投诉'.repeat(3000), lines: [] };
    expect(eventData(contract, envelope(long)).summary).toHaveLength(6000);
  });
});
