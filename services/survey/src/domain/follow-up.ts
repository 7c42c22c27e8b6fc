import { conflict, instant, invalidArgument, oneOf, optionalText } from '@aftercare/kit/domain';
import { addDays } from './dates';

/**
 * R-SV-2: what each call of the plan talks about. The second call must not repeat the first
 * (seed: 内容避免重复), so the topics of the two calls are disjoint.
 */
export const FIRST_CALL_TOPICS = ['SERVICE_SATISFACTION', 'REPAIR_RESULT'] as const;
export const SECOND_CALL_TOPICS = [
  'USAGE_AFTER_REPAIR',
  'MAINTENANCE_ADVICE',
  'OTHER_NEEDS',
] as const;

export interface FollowUpPlanSettings {
  /** First call from this many days after the service … */
  firstFromDays: number;
  /** … up to this many (seed: 三天至一周内). */
  firstToDays: number;
  /** Length of the second call's window, which opens a week after the first call was made. */
  secondWindowDays: number;
}

export const DEFAULT_FOLLOW_UP_PLAN: FollowUpPlanSettings = {
  firstFromDays: 3,
  firstToDays: 7,
  secondWindowDays: 7,
};

export interface PlannedCall {
  sequence: 1 | 2;
  /** The second call waits for the first (seed: 第一次跟踪服务的一周后). */
  status: 'PLANNED' | 'WAITING';
  topics: string[];
  windowStart: string;
  windowEnd: string;
}

/**
 * The two calls after a service on `serviceDate` (business date). The second call's window here
 * is provisional (the week after the first window): it is fixed by `secondCallWindow` once the
 * first call has been made, and until then the second call is WAITING, off the call list.
 */
export function planFollowUps(serviceDate: string, s: FollowUpPlanSettings): PlannedCall[] {
  const first = {
    sequence: 1 as const,
    status: 'PLANNED' as const,
    topics: [...FIRST_CALL_TOPICS] as string[],
    windowStart: addDays(serviceDate, s.firstFromDays),
    windowEnd: addDays(serviceDate, s.firstToDays),
  };
  const second = {
    sequence: 2 as const,
    status: 'WAITING' as const,
    topics: [...SECOND_CALL_TOPICS] as string[],
    windowStart: addDays(first.windowEnd, 1),
    windowEnd: addDays(first.windowEnd, s.secondWindowDays),
  };
  if (first.topics.some((t) => second.topics.includes(t)))
    throw new Error('follow-up calls must not repeat content');
  return [first, second];
}

/**
 * R-SV-2: the second call's window once the first call is done on `firstCallDate` (business
 * date): it opens one week later and lasts `secondWindowDays` (seed: 在第一次跟踪服务的一周后的
 * 7天以内). Anchored on the call actually made, so a first call made late in its window is never
 * followed by a second call the next day.
 */
export function secondCallWindow(
  firstCallDate: string,
  s: FollowUpPlanSettings,
): { windowStart: string; windowEnd: string } {
  const windowStart = addDays(firstCallDate, 7);
  return { windowStart, windowEnd: addDays(windowStart, Math.max(1, s.secondWindowDays) - 1) };
}

export const OUTCOMES = ['REACHED', 'NO_ANSWER', 'REFUSED', 'CALLBACK_REQUESTED'] as const;
export type CallOutcome = (typeof OUTCOMES)[number];
/** WAITING: a second call whose first call has not been made yet. */
export type FollowUpStatus = 'WAITING' | 'PLANNED' | 'DONE';

export interface FollowUpState {
  id: string;
  status: FollowUpStatus;
  windowStart: string;
  callbackAt: Date | null;
}

export interface CallInput {
  outcome?: string | null;
  summary?: string | null;
  /** A complaint the customer voiced on the call (R-SV-4). */
  complaint?: string | null;
  callbackAt?: Date | string | null;
}

export interface RecordedCall {
  outcome: CallOutcome;
  summary: string | null;
  complaint: string | null;
  callbackAt: Date | null;
  /** The follow-up's state after the call. */
  status: FollowUpStatus;
}

/**
 * R-SV-2: the outcome of one call attempt. Reaching the customer (or their refusal to talk) ends
 * the follow-up; no answer keeps it on the list; a callback request moves it to the time asked.
 */
export function recordCall(followUp: FollowUpState, input: CallInput, now: Date): RecordedCall {
  if (followUp.status === 'WAITING')
    throw conflict(
      `follow-up ${followUp.id} is the second call: make the first call first`,
      'FIRST_CALL_PENDING',
    );
  if (followUp.status !== 'PLANNED')
    throw conflict(`follow-up ${followUp.id} is already done`, 'FOLLOW_UP_DONE');
  const outcome = oneOf(OUTCOMES, input.outcome, 'outcome');
  const summary = optionalText(input.summary, 'summary', 2000);
  const complaint = optionalText(input.complaint, 'complaint', 2000);
  if (complaint && outcome !== 'REACHED')
    throw invalidArgument(
      'a complaint is heard only when the customer was reached',
      'complaint',
      'NOT_REACHED',
    );
  let callbackAt: Date | null = null;
  if (outcome === 'CALLBACK_REQUESTED') {
    callbackAt = instant(input.callbackAt ?? null, 'callbackAt');
    if (callbackAt.getTime() <= now.getTime())
      throw invalidArgument('callbackAt must lie in the future', 'callbackAt', 'IN_PAST');
  } else if (input.callbackAt) {
    throw invalidArgument('callbackAt is only for CALLBACK_REQUESTED', 'callbackAt', 'NOT_ALLOWED');
  }
  const done = outcome === 'REACHED' || outcome === 'REFUSED';
  return { outcome, summary, complaint, callbackAt, status: done ? 'DONE' : 'PLANNED' };
}

/** A connected call (reached, or refused to talk) counts as followed up for the KPI. */
export const countsAsFollowedUp = (outcome: CallOutcome): boolean =>
  outcome === 'REACHED' || outcome === 'REFUSED';

/** The date the follow-up appears on the call list: its window, or the callback asked for. */
export const callDate = (f: FollowUpState, localDate: (at: Date) => string): string =>
  f.callbackAt ? localDate(f.callbackAt) : f.windowStart;
