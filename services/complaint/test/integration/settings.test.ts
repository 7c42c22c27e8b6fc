import { uuidv7 } from '@aftercare/kit';
import { loadComplaintConfig } from '../../src';
import { complaintGraph, createCustomer, manager, servicesForThisFile, upsertStaff } from './setup';

// SPEC: "where a rule gives a number, that number is the default of a setting". The deadlines
// (R-CO-2/R-CO-3) and the penalty escalation figures (R-PN-2) are environment settings.
const s = servicesForThisFile('cp-settings', {
  COMPLAINT_CLOSURE_DAYS: '3',
  COMPLAINT_ESCALATION_HOURS: '12',
  PENALTY_POINT_VALUE_FEN: '300',
  PENALTY_ESCALATE_FROM_NTH: '2',
  PENALTY_ESCALATED_POINTS: '4',
});

const HOUR = 3_600_000;

it('R-CO-3 the closure and escalation deadlines are settings', async () => {
  const customerId = await createCustomer(s, 'Settings Customer', '13800008888');
  const receivedAt = new Date(Date.now() - HOUR);
  const {
    registerComplaint: { complaint: registered },
  } = await complaintGraph<{
    registerComplaint: {
      complaint: {
        major: boolean;
        deadlines: { closureDueAt: string; escalationDueAt: string };
      };
    };
  }>(
    s,
    `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint {
      major deadlines { closureDueAt escalationDueAt } } } }`,
    {
      input: {
        complainant: { name: 'S', phone: '13800008888' },
        customerId,
        channel: 'MEDIA',
        category: 'SERVICE_ATTITUDE',
        content: 'in the evening paper',
        receivedAt: receivedAt.toISOString(),
      },
    },
    manager,
  );
  expect(registered).toEqual({
    major: true,
    deadlines: {
      closureDueAt: new Date(receivedAt.getTime() + 3 * 24 * HOUR).toISOString(),
      escalationDueAt: new Date(receivedAt.getTime() + 12 * HOUR).toISOString(),
    },
  });
});

it('R-PN-2 the point value and the escalation threshold are settings', async () => {
  const staffId = uuidv7();
  await upsertStaff(s, { id: staffId, name: 'Configured' });
  const amounts: number[] = [];
  for (const ref of ['1', '2']) {
    const {
      proposePenalty: { penalty },
    } = await complaintGraph<{
      proposePenalty: { penalty: { points: number; amountFen: number } };
    }>(
      s,
      `mutation($input: ProposePenaltyInput!) { proposePenalty(input: $input) { penalty { points amountFen } } }`,
      { input: { ruleCode: 'VIOLATION', staffId, sourceRef: ref } },
      manager,
    );
    amounts.push(penalty.points, penalty.amountFen);
  }
  // 1st: 2 points × 300 fen; 2nd (escalated from the 2nd): 4 points × 300 fen.
  expect(amounts).toEqual([-2, -600, -4, -1200]);
});

it('bad settings are refused at start-up', () => {
  const env = s.complaintEnv.env;
  expect(() => loadComplaintConfig({ ...env, COMPLAINT_CLOSURE_DAYS: '0' })).toThrow(
    /COMPLAINT_CLOSURE_DAYS/,
  );
  expect(() => loadComplaintConfig({ ...env, PENALTY_POINT_VALUE_FEN: '1.5' })).toThrow(
    /PENALTY_POINT_VALUE_FEN/,
  );
});
