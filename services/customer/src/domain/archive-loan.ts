import type { BusinessCalendar } from '@aftercare/calendar';
import {
  AppError,
  conflict,
  invalidArgument,
  isoDate,
  oneOf,
  optionalText,
  requiredText,
} from '@aftercare/kit/domain';

/**
 * R-CU-4 borrowing a customer's paper file (借阅): requested by a staff member, approved or rejected
 * by the archive keeper or a manager (never by the requester), handed out at the desk, returned.
 * A request may be withdrawn until the file is handed out.
 */
export const LOAN_STATUSES = [
  'REQUESTED',
  'APPROVED',
  'REJECTED',
  'LENT',
  'RETURNED',
  'CANCELLED',
] as const;
export type LoanStatus = (typeof LOAN_STATUSES)[number];

/** A file has at most one loan in these states: it is asked for, promised or out. */
export const OPEN_LOAN_STATUSES = ['REQUESTED', 'APPROVED', 'LENT'] as const satisfies LoanStatus[];

/** The history's steps: the moves below, the request, and the scheduler's overdue finding. */
export const LOAN_STEPS = [...LOAN_STATUSES, 'OVERDUE'] as const;
export type LoanStep = (typeof LOAN_STEPS)[number];

export const RETURN_CONDITIONS = ['INTACT', 'DAMAGED', 'INCOMPLETE'] as const;
export type ReturnCondition = (typeof RETURN_CONDITIONS)[number];

export type LoanMove = 'APPROVE' | 'REJECT' | 'LEND' | 'RETURN' | 'CANCEL';

const MOVES: Readonly<
  Record<LoanMove, { from: readonly LoanStatus[]; to: LoanStatus & LoanStep; refusal: string }>
> = {
  APPROVE: { from: ['REQUESTED'], to: 'APPROVED', refusal: 'LOAN_NOT_PENDING' },
  REJECT: { from: ['REQUESTED'], to: 'REJECTED', refusal: 'LOAN_NOT_PENDING' },
  LEND: { from: ['APPROVED'], to: 'LENT', refusal: 'LOAN_NOT_APPROVED' },
  RETURN: { from: ['LENT'], to: 'RETURNED', refusal: 'LOAN_NOT_LENT' },
  CANCEL: { from: ['REQUESTED', 'APPROVED'], to: 'CANCELLED', refusal: 'LOAN_NOT_CANCELLABLE' },
};

/** What the rules need to know of a loan. */
export interface LoanFacts {
  status: LoanStatus;
  requestedBy: string;
}

/** Who takes a step: their user id, and whether they keep the archive (keeper, manager, admin). */
export interface LoanActor {
  userId: string;
  keeper: boolean;
}

/**
 * The status a move leads to, or the reason it is refused: a decision by the requester
 * (PERMISSION_DENIED `OWN_REQUEST`), someone else's request withdrawn by a non-keeper
 * (`NOT_YOUR_LOAN`), a move from the wrong state (FAILED_PRECONDITION, `ALREADY_LENT` when the
 * file is out, else the move's reason).
 */
export function moveLoan(loan: LoanFacts, move: LoanMove, actor: LoanActor): LoanStatus & LoanStep {
  const own = loan.requestedBy === actor.userId;
  if ((move === 'APPROVE' || move === 'REJECT') && own) {
    throw new AppError('PERMISSION_DENIED', 'nobody approves or rejects their own loan request', {
      reason: 'OWN_REQUEST',
    });
  }
  if (move === 'CANCEL' && !own && !actor.keeper) {
    throw new AppError(
      'PERMISSION_DENIED',
      'only the requester or the archive keeper withdraws a request',
      {
        reason: 'NOT_YOUR_LOAN',
      },
    );
  }
  const rule = MOVES[move];
  if (!rule.from.includes(loan.status)) {
    const lent = loan.status === 'LENT' && move !== 'RETURN';
    throw conflict(
      `cannot ${move.toLowerCase()} a loan that is ${loan.status.toLowerCase()}`,
      lent ? 'ALREADY_LENT' : rule.refusal,
    );
  }
  return rule.to;
}

/** Days since the epoch of a `YYYY-MM-DD` date (its own calendar, no time zone). */
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/**
 * R-CU-4 the due day: not before `today` (business-local) and at most `maxDays` calendar days
 * after it (ARCHIVE_LOAN_MAX_DAYS); else INVALID_DUE_DATE.
 */
export function checkDueOn(
  raw: string | null | undefined,
  today: string,
  maxDays: number,
  field = 'dueOn',
): string {
  const dueOn = isoDate(raw, field);
  const days = dayNumber(dueOn) - dayNumber(today);
  if (days < 0 || days > maxDays) {
    throw invalidArgument(
      `${field} must be between today (${today}) and ${maxDays} days later`,
      field,
      'INVALID_DUE_DATE',
    );
  }
  return dueOn;
}

/**
 * The instant a loan becomes overdue: the close of business of its due day (on a day the desk is
 * closed, of the next working day — nobody can bring a file back to a closed desk).
 */
export const loanDueAt = (dueOn: string, calendar: BusinessCalendar): Date =>
  calendar.endOfWorkingDay(calendar.fromLocal(`${dueOn}T12:00`));

export interface LoanRequestInput {
  purpose?: string | null;
  dueOn?: string | null;
}

export interface LoanRequest {
  purpose: string;
  dueOn: string;
}

/** A request names why the file is wanted and until when. */
export function parseLoanRequest(
  input: LoanRequestInput,
  today: string,
  maxDays: number,
): LoanRequest {
  return {
    purpose: requiredText(input.purpose, 'purpose', 500),
    dueOn: checkDueOn(input.dueOn, today, maxDays),
  };
}

/** A rejection or withdrawal says why. */
export const stepReason = (raw: string | null | undefined): string =>
  requiredText(raw, 'reason', 500);

export interface LoanReturnInput {
  condition?: string | null;
  notes?: string | null;
}

export interface LoanReturn {
  condition: ReturnCondition;
  notes: string | null;
}

/** The file's condition when it comes back; a damaged or incomplete one says what is wrong. */
export function parseLoanReturn(input: LoanReturnInput): LoanReturn {
  const condition = oneOf(RETURN_CONDITIONS, input.condition, 'condition');
  const notes = optionalText(input.notes, 'notes', 1000);
  if (condition !== 'INTACT' && !notes) {
    throw invalidArgument(
      `a file returned ${condition.toLowerCase()} needs notes`,
      'notes',
      'REQUIRED',
    );
  }
  return { condition, notes };
}

/** Lent and past the close of its due day. */
export const isOverdue = (loan: { status: LoanStatus; dueAt: Date }, now: Date): boolean =>
  loan.status === 'LENT' && now.getTime() > loan.dueAt.getTime();
