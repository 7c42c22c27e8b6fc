import { surveyAnswered } from '@aftercare/events';
import type { EventCounter } from '@aftercare/kit';

/**
 * Business counters from this service's published events (SPEC §6 satisfaction: satisfied and
 * very satisfied answers against all answers). Labels are the events' enums only.
 */
export const SURVEY_COUNTERS: readonly EventCounter[] = [
  {
    eventType: 'survey.answered',
    name: 'survey_surveys_answered_total',
    help: 'Surveys answered, by kind (WORK_ORDER, COMPLAINT_HANDLING) and how (AGENT, LINK)',
    labelNames: ['kind', 'answered_via'],
    labels: (data) => {
      const e = surveyAnswered.safeParse(data);
      return e.success ? [{ kind: e.data.kind, answered_via: e.data.answeredVia }] : [];
    },
  },
  {
    eventType: 'survey.answered',
    name: 'survey_answers_total',
    help: 'Answers to survey items, by satisfaction level',
    labelNames: ['level'],
    labels: (data) => {
      const e = surveyAnswered.safeParse(data);
      return e.success ? e.data.answers.map((a) => ({ level: a.level })) : [];
    },
  },
];
