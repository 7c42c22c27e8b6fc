import { ConfigError } from '@aftercare/kit';
import { loadSurveyConfig } from '../../src/config';

describe('survey settings', () => {
  it('R-SV-2 R-SV-3 R-SV-4 seed figures are the defaults', () => {
    const c = loadSurveyConfig({});
    expect(c).toMatchObject({
      HTTP_PORT: 4105,
      GRPC_PORT: 50105,
      CUSTOMER_GRPC_ADDRESS: '127.0.0.1:50101',
      DISSATISFIED_THRESHOLD_LEVEL: 2,
      FOLLOW_UP_FIRST_FROM_DAYS: 3,
      FOLLOW_UP_FIRST_TO_DAYS: 7,
      CONTRACT_REMINDER_MONTHS: 1,
      WARRANTY_REMINDER_MONTHS: 3,
      INVITATION_REMINDER_DAYS: 14,
    });
  });

  it('refuses a threshold off the scale and a first-call window that ends before it starts', () => {
    expect(() => loadSurveyConfig({ DISSATISFIED_THRESHOLD_LEVEL: '4' })).toThrow(ConfigError);
    expect(() =>
      loadSurveyConfig({ FOLLOW_UP_FIRST_FROM_DAYS: '5', FOLLOW_UP_FIRST_TO_DAYS: '4' }),
    ).toThrow(/FOLLOW_UP_FIRST_TO_DAYS/);
  });
});
