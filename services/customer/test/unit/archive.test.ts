import { BusinessCalendar } from '@aftercare/calendar';
import { AppError } from '@aftercare/kit';
import {
  assessHandover,
  HANDOVER_RULES,
  type HandedDocument,
  handoverDueAt,
  parseReceipt,
} from '../../src/domain/archive';

const calendar = new BusinessCalendar();
const at = (local: string) => new Date(`${local}+08:00`);
const signed = (kinds: readonly string[]): HandedDocument[] =>
  kinds.map((kind) => ({ kind, reference: null, customerSigned: true }) as HandedDocument);

describe('R-CU-3 handover deadlines (working days, business calendar)', () => {
  it('sales: closing time of the 3rd working day after the sale', () => {
    // Monday 2026-11-23 → Thursday 17:30.
    expect(handoverDueAt('SALES', at('2026-11-23T10:00:00'), calendar)).toEqual(
      at('2026-11-26T17:30:00'),
    );
    // Friday → Wednesday across the weekend; a Saturday sale counts from Monday too.
    expect(handoverDueAt('SALES', at('2026-11-27T16:00:00'), calendar)).toEqual(
      at('2026-12-02T17:30:00'),
    );
    expect(handoverDueAt('SALES', at('2026-11-28T11:00:00'), calendar)).toEqual(
      at('2026-12-02T17:30:00'),
    );
  });

  it('after-sales: closing time of the next working day after the return; holidays do not count', () => {
    expect(handoverDueAt('AFTER_SALES', at('2026-11-27T18:00:00'), calendar)).toEqual(
      at('2026-11-30T17:30:00'),
    );
    const withHoliday = new BusinessCalendar({ holidays: ['2026-11-24'] });
    expect(handoverDueAt('AFTER_SALES', at('2026-11-23T09:00:00'), withHoliday)).toEqual(
      at('2026-11-25T17:30:00'),
    );
  });
});

describe('R-CU-3 handover completeness', () => {
  const due = at('2026-11-26T17:30:00');

  it('a complete, signed handover on time is no violation; a second after the deadline is late', () => {
    const docs = signed(HANDOVER_RULES.SALES.required);
    expect(assessHandover('SALES', due, due, docs)).toEqual({
      late: false,
      missingKinds: [],
      unsignedKinds: [],
      violation: false,
    });
    const late = assessHandover('SALES', due, new Date(due.getTime() + 1000), docs);
    expect(late).toMatchObject({ late: true, violation: true });
  });

  it('missing required kinds or an unsigned check document make it incomplete', () => {
    const docs = signed(HANDOVER_RULES.AFTER_SALES.required.filter((k) => k !== 'SETTLEMENT'));
    docs[0]!.customerSigned = false;
    const a = assessHandover('AFTER_SALES', due, at('2026-11-25T09:00:00'), docs);
    expect(a).toEqual({
      late: false,
      missingKinds: ['SETTLEMENT'],
      unsignedKinds: [docs[0]!.kind],
      violation: true,
    });
    // Optional kinds (derived-services list, other) are never required.
    expect(HANDOVER_RULES.SALES.required).not.toContain('SERVICE_LIST');
  });

  it('refuses a receipt without documents, with an unknown kind or received in the future', () => {
    const now = at('2026-11-25T09:00:00');
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof AppError ? e.reason : (e as Error).message;
      }
      return 'ok';
    };
    expect(code(() => parseReceipt({ handedOverBy: 'u1', documents: [] }, now))).toBe('REQUIRED');
    expect(
      code(() =>
        parseReceipt(
          { handedOverBy: 'u1', documents: [{ kind: 'PASSPORT', customerSigned: true }] },
          now,
        ),
      ),
    ).toBe('INVALID_VALUE');
    expect(
      code(() =>
        parseReceipt(
          {
            handedOverBy: 'u1',
            receivedAt: '2026-11-26T09:00:00+08:00',
            documents: [{ kind: 'SETTLEMENT', customerSigned: true }],
          },
          now,
        ),
      ),
    ).toBe('IN_FUTURE');
    expect(code(() => parseReceipt({ documents: [{ kind: 'SETTLEMENT' }] }, now))).toBe('REQUIRED');
    const ok = parseReceipt(
      { handedOverBy: ' u1 ', documents: [{ kind: 'SETTLEMENT', reference: ' S-1 ' }] },
      now,
    );
    expect(ok).toEqual({
      handedOverBy: 'u1',
      receivedAt: now,
      documents: [{ kind: 'SETTLEMENT', reference: 'S-1', customerSigned: false }],
    });
  });
});
