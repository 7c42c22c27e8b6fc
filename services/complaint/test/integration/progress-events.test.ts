import { complaintProgressed } from '@aftercare/events';
import { dbQuery } from '@aftercare/testkit';
import { complaintGraph, createCustomer, manager, servicesForThisFile } from './setup';

// R-CO-2 every step between record and close is an event, written with the step (outbox).
const s = servicesForThisFile('cp-progress');

it('R-CO-2 each step from classify to notify the customer emits one complaint.progressed; a refused step emits none', async () => {
  const customerId = await createCustomer(s, 'Steps Customer', '13600007777');
  const {
    registerComplaint: { complaint: c },
  } = await complaintGraph<{ registerComplaint: { complaint: { id: string } } }>(
    s,
    `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id } } }`,
    {
      input: {
        complainant: { name: 'S', phone: '13600007777' },
        customerId,
        channel: 'PHONE',
        category: 'REPAIR_QUALITY',
        content: 'the noise is still there',
      },
    },
    manager,
  );
  const step = (m: string, vars: object = {}) =>
    complaintGraph(s, `mutation${m} id } } }`, { id: c.id, ...vars }, manager);
  await step(`($id: ID!) { classifyComplaint(input: { complaintId: $id }) { complaint {`);
  // Not yet assigned: investigating now is refused and writes nothing.
  await expect(
    step(
      `($id: ID!, $r: ComplaintInvestigationInput!) { submitComplaintInvestigation(input: { complaintId: $id, report: $r }) { complaint {`,
      {
        r: { cause: 'x', course: 'x', conclusion: 'x', countermeasure: 'x', serviceCaused: false },
      },
    ),
  ).rejects.toThrow();
  await step(
    `($id: ID!, $h: ID!) { assignComplaint(input: { complaintId: $id, handlerId: $h }) { complaint {`,
    { h: 'handler-9' },
  );
  await step(
    `($id: ID!, $r: ComplaintInvestigationInput!) { submitComplaintInvestigation(input: { complaintId: $id, report: $r }) { complaint {`,
    {
      r: {
        cause: 'bearing not replaced',
        course: 'step skipped',
        responsibleStaffIds: [],
        conclusion: 'not service-caused',
        countermeasure: 'checklist',
        serviceCaused: false,
      },
    },
  );
  await step(
    `($id: ID!) { proposeComplaintSolution(input: { complaintId: $id, solution: "replace the bearing", compensationFen: 0 }) { complaint {`,
  );
  await step(`($id: ID!) { approveComplaintSolution(input: { complaintId: $id }) { complaint {`);
  await step(`($id: ID!) { notifyComplaintCustomer(input: { complaintId: $id }) { complaint {`);
  await step(
    `($id: ID!) { closeComplaint(input: { complaintId: $id, satisfaction: SATISFIED }) { complaint {`,
  );

  const rows = await dbQuery<{ type: string; data: Record<string, unknown> }>(
    s.complaintEnv.env.DATABASE_URL!,
    `SELECT payload->>'type' AS type, payload->'data' AS data FROM outbox
     WHERE payload->'data'->>'complaintId' = $1 AND payload->>'type' <> 'complaint.penalty_proposed' ORDER BY id`,
    [c.id],
  );
  expect(rows.map((r) => r.type)).toEqual([
    'complaint.registered',
    ...Array(6).fill('complaint.progressed'),
    'complaint.closed',
  ]);
  const steps = rows.slice(1, 7).map((r) => complaintProgressed.parse(r.data));
  expect(steps.map((p) => [p.action, p.fromStatus, p.toStatus])).toEqual([
    ['classify', 'RECORDED', 'CLASSIFIED'],
    ['assign', 'CLASSIFIED', 'ASSIGNED'],
    ['investigate', 'ASSIGNED', 'INVESTIGATED'],
    ['proposeSolution', 'INVESTIGATED', 'SOLUTION_PROPOSED'],
    ['approveSolution', 'SOLUTION_PROPOSED', 'APPROVED'],
    ['notifyCustomer', 'APPROVED', 'CUSTOMER_NOTIFIED'],
  ]);
  expect(steps[1]).toMatchObject({
    complaintId: c.id,
    customerId,
    actorId: manager.userId,
    handlerId: 'handler-9',
    department: 'service',
  });
});
