import { BusinessCalendar } from '@aftercare/calendar';
import { AppError } from '@aftercare/kit';
import {
  checkDueOn,
  isOverdue,
  LOAN_STATUSES,
  type LoanMove,
  type LoanStatus,
  loanDueAt,
  moveLoan,
  parseLoanRequest,
  parseLoanReturn,
} from '../../src/domain/archive-loan';

const keeper = { userId: 'keeper-1', keeper: true };
const agent = { userId: 'agent-1', keeper: false };
const requested = (status: LoanStatus = 'REQUESTED') => ({ status, requestedBy: 'agent-1' });

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    const { code, reason, field } = e as AppError;
    return { code, reason, field };
  }
  throw new Error('not refused');
};

describe('R-CU-4 the loan state machine', () => {
  it('R-CU-4 request → approval → lend → return', () => {
    expect(moveLoan(requested(), 'APPROVE', keeper)).toBe('APPROVED');
    expect(moveLoan(requested('APPROVED'), 'LEND', keeper)).toBe('LENT');
    expect(moveLoan(requested('LENT'), 'RETURN', keeper)).toBe('RETURNED');
    expect(moveLoan(requested(), 'REJECT', keeper)).toBe('REJECTED');
  });

  it('R-CU-4 nobody approves or rejects their own request, a keeper neither', () => {
    const own = { status: 'REQUESTED' as const, requestedBy: 'keeper-1' };
    for (const move of ['APPROVE', 'REJECT'] as const) {
      expect(refusal(() => moveLoan(own, move, keeper))).toMatchObject({
        code: 'PERMISSION_DENIED',
        reason: 'OWN_REQUEST',
      });
    }
  });

  it('R-CU-4 a request is withdrawn by its requester or the keeper, until the file is out', () => {
    expect(moveLoan(requested(), 'CANCEL', agent)).toBe('CANCELLED');
    expect(moveLoan(requested('APPROVED'), 'CANCEL', keeper)).toBe('CANCELLED');
    expect(
      refusal(() => moveLoan(requested(), 'CANCEL', { userId: 'agent-2', keeper: false })),
    ).toMatchObject({ code: 'PERMISSION_DENIED', reason: 'NOT_YOUR_LOAN' });
    expect(refusal(() => moveLoan(requested('LENT'), 'CANCEL', agent)).reason).toBe('ALREADY_LENT');
    expect(refusal(() => moveLoan(requested('RETURNED'), 'CANCEL', agent)).reason).toBe(
      'LOAN_NOT_CANCELLABLE',
    );
  });

  it('R-CU-4 every move from a wrong state is refused with its reason', () => {
    const allowed: Record<LoanMove, LoanStatus[]> = {
      APPROVE: ['REQUESTED'],
      REJECT: ['REQUESTED'],
      LEND: ['APPROVED'],
      RETURN: ['LENT'],
      CANCEL: ['REQUESTED', 'APPROVED'],
    };
    const reasons: Record<LoanMove, string> = {
      APPROVE: 'LOAN_NOT_PENDING',
      REJECT: 'LOAN_NOT_PENDING',
      LEND: 'LOAN_NOT_APPROVED',
      RETURN: 'LOAN_NOT_LENT',
      CANCEL: 'LOAN_NOT_CANCELLABLE',
    };
    for (const move of Object.keys(allowed) as LoanMove[]) {
      for (const status of LOAN_STATUSES.filter((s) => !allowed[move].includes(s))) {
        const r = refusal(() => moveLoan(requested(status), move, keeper));
        expect(r.code).toBe('FAILED_PRECONDITION');
        expect(r.reason).toBe(status === 'LENT' ? 'ALREADY_LENT' : reasons[move]);
      }
    }
  });
});

describe('R-CU-4 due dates', () => {
  const calendar = new BusinessCalendar();
  const at = (local: string) => new Date(`${local}+08:00`);

  it('R-CU-4 the due day is today up to the maximum period ahead; else INVALID_DUE_DATE', () => {
    expect(checkDueOn('2026-12-04', '2026-12-04', 14)).toBe('2026-12-04');
    expect(checkDueOn('2026-12-18', '2026-12-04', 14)).toBe('2026-12-18');
    for (const bad of ['2026-12-03', '2026-12-19']) {
      expect(refusal(() => checkDueOn(bad, '2026-12-04', 14))).toMatchObject({
        code: 'INVALID_ARGUMENT',
        reason: 'INVALID_DUE_DATE',
        field: 'dueOn',
      });
    }
    expect(refusal(() => checkDueOn('2026-02-30', '2026-02-01', 14)).code).toBe('INVALID_ARGUMENT');
  });

  it('R-CU-4 a file is overdue after the close of its due day; a weekend due day moves to Monday', () => {
    // Friday 2026-12-04 closes 17:30 local; Saturday 12-05 → Monday 12-07.
    expect(loanDueAt('2026-12-04', calendar)).toEqual(at('2026-12-04T17:30:00'));
    expect(loanDueAt('2026-12-05', calendar)).toEqual(at('2026-12-07T17:30:00'));
    const loan = { status: 'LENT' as const, dueAt: at('2026-12-04T17:30:00') };
    expect(isOverdue(loan, at('2026-12-04T17:30:00'))).toBe(false);
    expect(isOverdue(loan, at('2026-12-04T17:31:00'))).toBe(true);
    expect(isOverdue({ ...loan, status: 'RETURNED' }, at('2026-12-05T09:00:00'))).toBe(false);
  });
});

describe('R-CU-4 requests and returns', () => {
  it('R-CU-4 a request says why', () => {
    expect(parseLoanRequest({ purpose: ' audit ', dueOn: '2026-12-05' }, '2026-12-04', 14)).toEqual(
      {
        purpose: 'audit',
        dueOn: '2026-12-05',
      },
    );
    expect(refusal(() => parseLoanRequest({ dueOn: '2026-12-05' }, '2026-12-04', 14)).field).toBe(
      'purpose',
    );
  });

  it('R-CU-4 a file back damaged or incomplete needs notes', () => {
    expect(parseLoanReturn({ condition: 'INTACT' })).toEqual({ condition: 'INTACT', notes: null });
    expect(refusal(() => parseLoanReturn({ condition: 'DAMAGED' }))).toMatchObject({
      field: 'notes',
      reason: 'REQUIRED',
    });
    expect(refusal(() => parseLoanReturn({ condition: 'BURNT' })).field).toBe('condition');
  });
});
