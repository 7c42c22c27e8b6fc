import { events } from '@aftercare/events';
import { type EventCounter, eventCounter } from '@aftercare/kit';

/**
 * Business counters from this service's published events (docs/rules.md §6 satisfaction: satisfied and
 * very satisfied answers against all answers; follow-up rate: orders followed up against
 * completed warranty orders). Labels are the events' enums and booleans only.
 */
export const SURVEY_COUNTERS: readonly EventCounter[] = [
  eventCounter({
    event: events.survey.answered,
    name: 'survey_surveys_answered_total',
    help: 'Surveys answered, by kind (WORK_ORDER, COMPLAINT_HANDLING) and how (AGENT, LINK)',
    labelNames: ['kind', 'answered_via'],
    labels: (data) => [{ kind: data.kind, answered_via: data.answeredVia }],
  }),
  eventCounter({
    event: events.survey.answered,
    name: 'survey_answers_total',
    help: 'Answers to survey items, by satisfaction level',
    labelNames: ['level'],
    labels: (data) => data.answers.map((a) => ({ level: a.level })),
  }),
  eventCounter({
    event: events.survey.followUpCalled,
    name: 'survey_follow_up_calls_total',
    help: 'Follow-up calls made (R-SV-2), by outcome and whether the call made its order count as followed up',
    labelNames: ['outcome', 'followed_up'],
    labels: (data) => [{ outcome: data.outcome, followed_up: String(data.followedUp) }],
  }),
];
