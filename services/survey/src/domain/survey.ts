import { conflict, forbidden } from '@aftercare/kit/domain';
import type { Answers, SurveyKind } from './template';

export type SurveyStatus = 'OPEN' | 'ANSWERED';
export type AnsweredVia = 'AGENT' | 'LINK';

/** What a survey needs to be answered; the stored record carries more (work order facts …). */
export interface SurveyState {
  id: string;
  kind: SurveyKind;
  status: SurveyStatus;
  tokenHash: string | null;
  tokenExpiresAt: Date | null;
}

export interface Answered {
  status: 'ANSWERED';
  answers: Answers;
  answeredAt: Date;
  answeredVia: AnsweredVia;
  answeredBy: string | null;
  /** A link is single use: answering by any way voids it. */
  tokenHash: null;
  tokenExpiresAt: null;
}

export function assertOpen(survey: SurveyState): void {
  if (survey.status !== 'OPEN')
    throw conflict(`survey ${survey.id} is already answered`, 'SURVEY_ALREADY_ANSWERED');
}

/** R-SV-1: a survey is answered once, by an agent on a call or by the customer through a link. */
export function answer(
  survey: SurveyState,
  answers: Answers,
  via: AnsweredVia,
  by: string | null,
  now: Date,
): Answered {
  assertOpen(survey);
  return {
    status: 'ANSWERED',
    answers,
    answeredAt: now,
    answeredVia: via,
    answeredBy: by,
    tokenHash: null,
    tokenExpiresAt: null,
  };
}

/**
 * The customer's link: no login, so the token is the only credential. It is refused when it
 * matches no open survey (also after use: answering clears it) or has expired.
 */
export function checkLinkToken(survey: SurveyState | null, now: Date): SurveyState {
  if (!survey || survey.status !== 'OPEN' || !survey.tokenHash)
    throw forbidden('This survey link is not valid (or has been used)', 'SURVEY_LINK_INVALID');
  if (!survey.tokenExpiresAt || survey.tokenExpiresAt.getTime() <= now.getTime())
    throw forbidden('This survey link has expired', 'SURVEY_LINK_EXPIRED');
  return survey;
}

/** When a newly issued link stops working. */
export const linkExpiry = (now: Date, ttlHours: number): Date =>
  new Date(now.getTime() + ttlHours * 3_600_000);
