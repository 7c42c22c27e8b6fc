import { defineEvent } from '@aftercare/events';
import { z } from 'zod';
import {
  countPublishedEvents,
  eventCounter,
  eventPublished,
} from '../../src/observability/business';
import { createMetrics } from '../../src/observability/registry';

const answered = defineEvent({
  type: 'test.answered',
  version: 1,
  data: z.object({ levels: z.array(z.enum(['GOOD', 'POOR'])) }),
  subject: 'the test',
  summary: 'A stand-in event for the counters.',
});

describe('business counters from published events', () => {
  it('count one increment per label set of a declared event, typed by its data', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    countPublishedEvents(metrics, [
      eventCounter({ event: answered, name: 'test_surveys_total', help: 'Surveys' }),
      eventCounter({
        event: answered,
        name: 'test_answers_total',
        help: 'Answers by level',
        labelNames: ['level'],
        labels: (data) => data.levels.map((level) => ({ level })),
      }),
    ]);
    eventPublished(metrics, 'test.answered', { levels: ['GOOD', 'POOR', 'GOOD'] });
    eventPublished(metrics, 'other.event', { levels: ['POOR'] });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^test_surveys_total 1$/m);
    expect(text).toMatch(/^test_answers_total\{level="GOOD"\} 2$/m);
    expect(text).toMatch(/^test_answers_total\{level="POOR"\} 1$/m);
  });

  it('skip data that is not the declared version (a row written before an upgrade)', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    countPublishedEvents(metrics, [
      eventCounter({
        event: answered,
        name: 'test_answers_total',
        help: 'Answers by level',
        labelNames: ['level'],
        labels: (data) => data.levels.map((level) => ({ level })),
      }),
    ]);
    eventPublished(metrics, 'test.answered', { answers: [{ level: 3 }] });
    expect(await metrics.registry.metrics()).not.toMatch(/^test_answers_total\{/m);
  });
});
