import { AppError } from '@aftercare/kit';
import {
  COMPLAINT_HANDLING,
  lowItems,
  parseTemplate,
  TECHNICIAN_EVALUATION,
  validateAnswers,
} from '../../src/domain';

const all = (level: string) => TECHNICIAN_EVALUATION.items.map((i) => ({ item: i.key, level }));

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return { field: (e as AppError).field, reason: (e as AppError).reason };
  }
  throw new Error('expected an error');
};

describe('survey templates (R-SV-1)', () => {
  it('R-SV-1 the default technician evaluation has attitude, skill, arrival on time, promises kept, and suggestions', () => {
    expect(TECHNICIAN_EVALUATION.items.map((i) => i.key)).toEqual([
      'attitude',
      'skill',
      'arrival_on_time',
      'promises_kept',
    ]);
    expect(TECHNICIAN_EVALUATION.suggestions).toBe(true);
    expect(COMPLAINT_HANDLING.kind).toBe('COMPLAINT_HANDLING');
  });

  it('R-SV-1 accepts every item answered once on the 4-level scale, in template order', () => {
    const answers = validateAnswers(TECHNICIAN_EVALUATION, {
      answers: [...all('SATISFIED')].reverse(),
      suggestions: '  call before coming  ',
    });
    expect(answers.items.map((a) => a.item)).toEqual(TECHNICIAN_EVALUATION.items.map((i) => i.key));
    expect(answers.suggestions).toBe('call before coming');
  });

  it('R-SV-1 refuses missing, unknown, duplicate items and levels off the scale, naming the field', () => {
    expect(
      fieldOf(() => validateAnswers(TECHNICIAN_EVALUATION, { answers: all('SATISFIED').slice(1) })),
    ).toEqual({
      field: 'answers',
      reason: 'UNANSWERED_ITEMS',
    });
    expect(
      fieldOf(() =>
        validateAnswers(TECHNICIAN_EVALUATION, {
          answers: [...all('SATISFIED'), { item: 'price', level: 'SATISFIED' }],
        }),
      ),
    ).toEqual({ field: 'answers.4.item', reason: 'UNKNOWN_ITEM' });
    expect(
      fieldOf(() =>
        validateAnswers(TECHNICIAN_EVALUATION, {
          answers: [...all('SATISFIED'), { item: 'skill', level: 'SATISFIED' }],
        }),
      ),
    ).toEqual({ field: 'answers.4.item', reason: 'DUPLICATE' });
    const badLevel = all('SATISFIED');
    badLevel[2] = { item: 'arrival_on_time', level: 'OK' };
    expect(fieldOf(() => validateAnswers(TECHNICIAN_EVALUATION, { answers: badLevel }))).toEqual({
      field: 'answers.2.level',
      reason: 'INVALID_VALUE',
    });
  });

  it('R-SV-4 items at or below the threshold are the low items', () => {
    const answers = validateAnswers(TECHNICIAN_EVALUATION, {
      answers: [
        { item: 'attitude', level: 'VERY_DISSATISFIED' },
        { item: 'skill', level: 'DISSATISFIED' },
        { item: 'arrival_on_time', level: 'SATISFIED' },
        { item: 'promises_kept', level: 'VERY_SATISFIED' },
      ],
    });
    expect(lowItems(answers, 2)).toEqual([
      { item: 'attitude', level: 1 },
      { item: 'skill', level: 2 },
    ]);
    expect(lowItems(answers, 1)).toEqual([{ item: 'attitude', level: 1 }]);
    expect(
      lowItems(validateAnswers(TECHNICIAN_EVALUATION, { answers: all('SATISFIED') }), 2),
    ).toEqual([]);
  });

  it('R-SV-1 templates are data: a manager template is validated', () => {
    expect(
      parseTemplate({
        code: 'install_check',
        name: 'Installation',
        items: [{ key: 'Tidy', label: 'Left the site tidy' }],
      }),
    ).toEqual({
      code: 'INSTALL_CHECK',
      name: 'Installation',
      kind: 'WORK_ORDER',
      items: [{ key: 'tidy', label: 'Left the site tidy' }],
      suggestions: true,
    });
    expect(fieldOf(() => parseTemplate({ code: 'X', name: 'n', items: [] }))).toMatchObject({
      field: 'items',
    });
    expect(
      fieldOf(() =>
        parseTemplate({
          code: 'X',
          name: 'n',
          items: [
            { key: 'a', label: 'A' },
            { key: 'A', label: 'A again' },
          ],
        }),
      ),
    ).toEqual({ field: 'items.1.key', reason: 'DUPLICATE' });
  });
});
