import { invalidArgument, oneOf, optionalText, requiredText } from '@aftercare/kit/domain';

/**
 * R-SV-1: surveys are data. A template lists the rated items; every item is answered on the same
 * 4-level scale (seed: 每项均按客户的满意状况分为四个程度), plus free-text suggestions.
 */
export const LEVELS = ['VERY_DISSATISFIED', 'DISSATISFIED', 'SATISFIED', 'VERY_SATISFIED'] as const;
export type Level = (typeof LEVELS)[number];

/** 1 (very dissatisfied) … 4 (very satisfied): the number ratings average over. */
export const levelValue = (level: Level): number => LEVELS.indexOf(level) + 1;
export const isSatisfied = (level: Level): boolean => levelValue(level) >= 3;

export const SURVEY_KINDS = ['WORK_ORDER', 'COMPLAINT_HANDLING'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

export interface TemplateItem {
  key: string;
  label: string;
}

export interface SurveyTemplate {
  code: string;
  name: string;
  /** Which surveys it is used for by default. */
  kind: SurveyKind;
  items: TemplateItem[];
  /** Whether the free-text suggestions question is asked. */
  suggestions: boolean;
}

/** The default technician evaluation (seed 第十九条): attitude, skill, arrival time, promises kept. */
export const TECHNICIAN_EVALUATION: SurveyTemplate = Object.freeze({
  code: 'TECHNICIAN_EVALUATION',
  name: '技术员评价 Technician evaluation',
  kind: 'WORK_ORDER',
  items: [
    { key: 'attitude', label: '服务态度 Attitude' },
    { key: 'skill', label: '技术水平 Skill' },
    { key: 'arrival_on_time', label: '到达时间 Arrival on time' },
    { key: 'promises_kept', label: '答应事情的办理 Promises kept' },
  ],
  suggestions: true,
}) as SurveyTemplate;

/** R-SV-5: the customer's view of how a complaint was handled, surveyed after it is closed. */
export const COMPLAINT_HANDLING: SurveyTemplate = Object.freeze({
  code: 'COMPLAINT_HANDLING',
  name: '投诉处理回访 Complaint handling',
  kind: 'COMPLAINT_HANDLING',
  items: [
    { key: 'speed', label: '处理速度 Speed of handling' },
    { key: 'solution', label: '处理结果 Solution' },
    { key: 'attitude', label: '处理态度 Attitude' },
  ],
  suggestions: true,
}) as SurveyTemplate;

export const DEFAULT_TEMPLATES: readonly SurveyTemplate[] = [
  TECHNICIAN_EVALUATION,
  COMPLAINT_HANDLING,
];

export interface TemplateInput {
  code?: string | null;
  name?: string | null;
  kind?: string | null;
  items?: { key?: string | null; label?: string | null }[] | null;
  suggestions?: boolean | null;
}

/** A manager's template, validated: codes and item keys are identifiers, items unique, 1–20 of them. */
export function parseTemplate(input: TemplateInput): SurveyTemplate {
  const code = requiredText(input.code, 'code', 50).toUpperCase();
  if (!/^[A-Z][A-Z0-9_]*$/.test(code))
    throw invalidArgument('code must be letters, digits and _', 'code', 'INVALID_CODE');
  const items = input.items ?? [];
  if (items.length < 1 || items.length > 20)
    throw invalidArgument('a template has 1 to 20 items', 'items', 'OUT_OF_RANGE');
  const seen = new Set<string>();
  const parsed = items.map((item, i) => {
    const key = requiredText(item.key, `items.${i}.key`, 50).toLowerCase();
    if (!/^[a-z][a-z0-9_]*$/.test(key))
      throw invalidArgument(
        'item keys are letters, digits and _',
        `items.${i}.key`,
        'INVALID_CODE',
      );
    if (seen.has(key))
      throw invalidArgument(`item "${key}" appears twice`, `items.${i}.key`, 'DUPLICATE');
    seen.add(key);
    return { key, label: requiredText(item.label, `items.${i}.label`, 200) };
  });
  return {
    code,
    name: requiredText(input.name, 'name', 200),
    kind: oneOf(SURVEY_KINDS, input.kind, 'kind', 'WORK_ORDER'),
    items: parsed,
    suggestions: input.suggestions ?? true,
  };
}

export interface AnswerInput {
  answers?: { item?: string | null; level?: string | null }[] | null;
  suggestions?: string | null;
}

export interface Answers {
  items: { item: string; level: Level }[];
  suggestions: string | null;
}

/** R-SV-1: every item of the template answered exactly once on the 4-level scale, nothing else. */
export function validateAnswers(template: SurveyTemplate, input: AnswerInput): Answers {
  const given = input.answers ?? [];
  const byItem = new Map<string, Level>();
  given.forEach((a, i) => {
    const item = requiredText(a.item, `answers.${i}.item`, 50).toLowerCase();
    if (!template.items.some((t) => t.key === item))
      throw invalidArgument(
        `"${item}" is not a question of ${template.code}`,
        `answers.${i}.item`,
        'UNKNOWN_ITEM',
      );
    if (byItem.has(item))
      throw invalidArgument(`"${item}" is answered twice`, `answers.${i}.item`, 'DUPLICATE');
    byItem.set(item, oneOf(LEVELS, a.level, `answers.${i}.level`));
  });
  const missing = template.items.filter((t) => !byItem.has(t.key)).map((t) => t.key);
  if (missing.length)
    throw invalidArgument(`unanswered: ${missing.join(', ')}`, 'answers', 'UNANSWERED_ITEMS');
  const suggestions = optionalText(input.suggestions, 'suggestions', 2000);
  if (suggestions && !template.suggestions)
    throw invalidArgument(`${template.code} asks no suggestions`, 'suggestions', 'NOT_ASKED');
  return {
    items: template.items.map((t) => ({ item: t.key, level: byItem.get(t.key)! })),
    suggestions,
  };
}

/**
 * R-SV-4: items at or below `thresholdLevel` (1–4; default 2 = DISSATISFIED) make the answer a
 * dissatisfied one. Empty when the customer is content.
 */
export function lowItems(
  answers: Answers,
  thresholdLevel: number,
): { item: string; level: number }[] {
  return answers.items
    .filter((a) => levelValue(a.level) <= thresholdLevel)
    .map((a) => ({ item: a.item, level: levelValue(a.level) }));
}
