import {
  answer,
  checkLinkToken,
  type SurveyState,
  TECHNICIAN_EVALUATION,
  validateAnswers,
} from '../../src/domain';

const now = new Date('2026-11-24T02:00:00Z');
const open: SurveyState = {
  id: 's1',
  kind: 'WORK_ORDER',
  status: 'OPEN',
  tokenHash: 'h',
  tokenExpiresAt: new Date('2026-11-25T00:00:00Z'),
};
const answers = validateAnswers(TECHNICIAN_EVALUATION, {
  answers: TECHNICIAN_EVALUATION.items.map((i) => ({ item: i.key, level: 'SATISFIED' })),
});

describe('answering a survey (R-SV-1)', () => {
  it('R-SV-1 is answered once, and answering voids the link', () => {
    const done = answer(open, answers, 'AGENT', 'agent-1', now);
    expect(done).toMatchObject({ status: 'ANSWERED', answeredVia: 'AGENT', tokenHash: null });
    expect(() => answer({ ...open, ...done }, answers, 'LINK', null, now)).toThrow(
      expect.objectContaining({ reason: 'SURVEY_ALREADY_ANSWERED' }),
    );
  });

  it('R-SV-1 a link token works while open and unexpired, never after use or expiry', () => {
    expect(checkLinkToken(open, now)).toBe(open);
    expect(() => checkLinkToken(null, now)).toThrow(
      expect.objectContaining({ code: 'PERMISSION_DENIED', reason: 'SURVEY_LINK_INVALID' }),
    );
    expect(() => checkLinkToken({ ...open, status: 'ANSWERED', tokenHash: null }, now)).toThrow(
      expect.objectContaining({ reason: 'SURVEY_LINK_INVALID' }),
    );
    expect(() => checkLinkToken(open, new Date('2026-11-25T00:00:00Z'))).toThrow(
      expect.objectContaining({ reason: 'SURVEY_LINK_EXPIRED' }),
    );
  });
});
