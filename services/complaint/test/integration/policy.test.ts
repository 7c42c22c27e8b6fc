import { type Identity, uuidv7 } from '@aftercare/kit';
import { subgraphRequest } from '@aftercare/testkit';
import { COMPLAINT_CATEGORIES, DEFAULT_DEPARTMENT_ROUTING } from '../../src/domain';
import { complaintGraph, createCustomer, manager, servicesForThisFile } from './setup';

// R-CO-2/R-CO-3 rules as data: a manager edits routing, approval authority and major rules.
const s = servicesForThisFile('cp-policy');

const UPDATE = `mutation($input: UpdateComplaintPolicyInput!) {
  updateComplaintPolicy(input: $input) { policy {
    routing { category department } approvalTiers { maxFen role }
    majorRules { repeatWindowDays channels demands highImpact disturbance } updatedBy
  } }
}`;

it('R-CO-2/R-CO-3 routing, approval tiers and major rules are data a manager edits, used from then on', async () => {
  const cr: Identity = { userId: uuidv7(), roles: ['customer_relations'] };
  const routing = COMPLAINT_CATEGORIES.map((category) => ({
    category,
    department: category === 'TRANSPORT' ? 'fleet' : DEFAULT_DEPARTMENT_ROUTING[category],
  }));
  const denied = await subgraphRequest(s.complaint.httpPort, UPDATE, { input: { routing } }, cr);
  expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const incomplete = await subgraphRequest(
    s.complaint.httpPort,
    UPDATE,
    { input: { routing: routing.slice(1) } },
    manager,
  );
  expect(incomplete.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'INCOMPLETE',
  });
  const {
    updateComplaintPolicy: { policy: p },
  } = await complaintGraph<{
    updateComplaintPolicy: {
      policy: {
        routing: { category: string; department: string }[];
        approvalTiers: { maxFen: number | null; role: string }[];
        majorRules: { channels: string[]; highImpact: boolean; repeatWindowDays: number | null };
        updatedBy: string;
      };
    };
  }>(
    s,
    UPDATE,
    {
      input: {
        routing,
        approvalTiers: [
          { maxFen: 200_000, role: 'customer_relations' },
          { maxFen: null, role: 'manager' },
        ],
        majorRules: {
          repeatWindowDays: null,
          channels: ['MANUFACTURER'],
          demands: [],
          highImpact: true,
          disturbance: true,
        },
      },
    },
    manager,
  );
  expect(p.routing).toContainEqual({ category: 'TRANSPORT', department: 'fleet' });
  expect(p.updatedBy).toBe(manager.userId);

  const customerId = await createCustomer(s, 'Policy Customer', '13400004444');
  const {
    registerComplaint: { complaint: c },
  } = await complaintGraph<{
    registerComplaint: { complaint: { id: string; majorReasons: string[] } };
  }>(
    s,
    `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id majorReasons } } }`,
    {
      input: {
        complainant: { name: 'P', phone: '13400004444' },
        customerId,
        channel: 'MEDIA',
        category: 'TRANSPORT',
        content: 'scratched in transit',
        demands: ['RETURN'],
      },
    },
    manager,
  );
  // Media and return no longer make a complaint major under the edited rules…
  expect(c.majorReasons).toEqual([]);
  // …nor does a repeat; it is still recorded as one, since R-PN-2 doubles a repeated complaint's
  // penalty whatever the major-complaint rules say.
  const {
    registerComplaint: { complaint: again },
  } = await complaintGraph<{
    registerComplaint: { complaint: { majorReasons: string[]; repeatOf: { id: string } | null } };
  }>(
    s,
    `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { majorReasons repeatOf { id } } } }`,
    {
      input: {
        complainant: { name: 'P', phone: '13400004444' },
        customerId,
        channel: 'PHONE',
        category: 'TRANSPORT',
        content: 'still scratched',
      },
    },
    manager,
  );
  expect(again).toEqual({ majorReasons: [], repeatOf: { id: c.id } });
  // …but judging it high impact at classification does.
  const move = <T>(mutation: string, vars: object, caller: Identity = cr) =>
    complaintGraph<T>(s, mutation, { id: c.id, ...vars }, caller);
  const {
    classifyComplaint: { complaint: classified },
  } = await move<{ classifyComplaint: { complaint: { majorReasons: string[] } } }>(
    `mutation($id: ID!) { classifyComplaint(input: { complaintId: $id, highImpact: true }) { complaint { majorReasons } } }`,
    {},
  );
  expect(classified.majorReasons).toEqual(['HIGH_IMPACT']);
  const {
    assignComplaint: { complaint: assigned },
  } = await move<{ assignComplaint: { complaint: { department: string } } }>(
    `mutation($id: ID!, $h: ID!) { assignComplaint(input: { complaintId: $id, handlerId: $h }) { complaint { department } } }`,
    { h: uuidv7() },
  );
  expect(assigned.department).toBe('fleet');
  await move(
    `mutation($id: ID!) { submitComplaintInvestigation(input: { complaintId: $id, report: { cause: "c", course: "c", conclusion: "c", countermeasure: "c", serviceCaused: false } }) { complaint { id } } }`,
    {},
  );
  // 1 500 yuan: within customer relations' edited authority (2 000 yuan).
  const {
    proposeComplaintSolution: { complaint: proposed },
  } = await move<{
    proposeComplaintSolution: { complaint: { allowedActions: string[] } };
  }>(
    `mutation($id: ID!) { proposeComplaintSolution(input: { complaintId: $id, solution: "refund", compensationFen: 150000 }) { complaint { allowedActions } } }`,
    {},
  );
  expect(proposed.allowedActions).toEqual(['approveSolution', 'rejectSolution']);
  const {
    approveComplaintSolution: { complaint: approved },
  } = await move<{
    approveComplaintSolution: { complaint: { status: string; approval: { role: string } } };
  }>(
    `mutation($id: ID!) { approveComplaintSolution(input: { complaintId: $id }) { complaint { status approval { role } } } }`,
    {},
  );
  expect(approved).toEqual({
    status: 'APPROVED',
    approval: { role: 'customer_relations' },
  });
});
