import type { Role } from '@aftercare/kit';
import type { System } from '../harness';
import { eventually } from '../support/events';

/** Ids and codes of real objects, by kind: fuzz cases pick them so lookups find something. */
export type IdPools = Record<PoolName, string[]>;
export type PoolName =
  | 'customer'
  | 'asset'
  | 'workOrder'
  | 'staff'
  | 'warehouse'
  | 'part'
  | 'tool'
  | 'loan'
  | 'complaint'
  | 'requisition'
  | 'claimOrder'
  | 'penalty'
  | 'ruleCode'
  | 'survey'
  | 'followUp'
  | 'surveyToken'
  | 'station';

const ADMIN: Role[] = ['admin'];

/**
 * A small world made through the gateway as staff would make it: a customer with a vehicle, an
 * open and a completed work order (so a survey and follow-ups exist), stock in a warehouse, a
 * requisition, a claim order, a tool on loan, a complaint and a penalty.
 */
export async function seedWorld(sys: System): Promise<IdPools> {
  const ok = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const r = await sys.gql<T>(query, variables, ADMIN, 'fuzz-seed');
    if (r.errors) throw new Error(`seeding failed: ${JSON.stringify(r.errors)}\n${query}`);
    return r.data as T;
  };
  const region = { province: 'Zhejiang', city: 'Hangzhou', district: 'Xihu' };
  for (const input of [
    {
      id: 'fz-tech',
      name: 'Fuzz Tech',
      team: 'east',
      teamLeadId: 'fz-lead',
      stationCode: 'FZ-ST',
      skills: ['ELECTRICAL', 'MECHANICAL', 'BODY', 'BATTERY', 'SOFTWARE', 'OTHER'],
    },
    { id: 'fz-lead', name: 'Fuzz Lead', team: 'east', position: 'team_lead' },
  ])
    await ok(`mutation($i: UpsertStaffInput!) { upsertStaff(input: $i) { staff { id } } }`, {
      i: { ...input, region },
    });
  await ok(
    `mutation { createWarehouse(input: { code: "FZ-WH", name: "Fuzz station", kind: STATION, region: { province: "Zhejiang", city: "Hangzhou" } }) { warehouse { code } } }`,
  );
  await ok(
    `mutation { upsertPart(input: { code: "FZ-PART", name: "Controller", unit: PCS, priceFen: 65000, reorderPoint: 0 }) { part { code } } }`,
  );
  await ok(
    `mutation { postStockDocument(input: { type: RECEIPT, warehouseCode: "FZ-WH", lines: [{ partCode: "FZ-PART", quantity: 50 }], reference: "PO-FUZZ" }) { document { id } } }`,
  );
  await ok(
    `mutation { upsertTool(input: { code: "FZ-TOOL", name: "Puller", special: false, originalPriceFen: 9000, count: 3 }) { tool { code } } }`,
  );
  const customerId = (
    await ok<{ createCustomer: { customer: { id: string } } }>(
      `mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id } } }`,
      {
        i: {
          kind: 'PERSON',
          name: 'Fuzz Owner',
          contacts: [{ name: 'Fuzz Owner', mobile: '13800007777' }],
          addresses: [{ region, line: '1 Fuzz Road' }],
        },
      },
    )
  ).createCustomer.customer.id;
  const assetId = (
    await ok<{ registerAsset: { asset: { id: string } } }>(
      `mutation($i: RegisterAssetInput!) { registerAsset(input: $i) { asset { id } } }`,
      {
        i: {
          customerId,
          kind: 'VEHICLE',
          model: 'City EV',
          vin: 'LSVFZ4187E2100777',
          warrantyStart: '2026-01-01',
          warrantyEnd: '2028-06-30',
        },
      },
    )
  ).registerAsset.asset.id;
  const registerOrder = async () =>
    (
      await ok<{ registerWorkOrder: { workOrder: { id: string } } }>(
        `mutation($i: RegisterWorkOrderInput!) { registerWorkOrder(input: $i) { workOrder { id } } }`,
        {
          i: {
            customerId,
            assetId,
            contact: { name: 'Fuzz Owner', phone: '13800007777' },
            address: { region },
            areaType: 'URBAN',
            distanceKm: 3,
            faultDescription: 'no power',
            category: 'ELECTRICAL',
            channel: 'PHONE',
          },
        },
      )
    ).registerWorkOrder.workOrder.id;
  const openOrder = await registerOrder();
  const doneOrder = await registerOrder();
  const step = (mutation: string) => ok(mutation, { id: doneOrder });
  await step(
    `mutation($id: ID!) { dispatchWorkOrder(input: { workOrderId: $id, technicianIds: ["fz-tech"] }) { workOrder { id } } }`,
  );
  await step(
    `mutation($id: ID!) { departForSite(input: { workOrderId: $id }) { workOrder { id } } }`,
  );
  await step(
    `mutation($id: ID!) { arriveOnSite(input: { workOrderId: $id }) { workOrder { id } } }`,
  );
  await step(
    `mutation($id: ID!) { resolveOnSite(input: { workOrderId: $id, report: { cause: "fuse", responsibility: PRODUCT, workDone: "fuse replaced" } }) { workOrder { id } } }`,
  );
  const requisitionId = (
    await ok<{ requestParts: { requisition: { id: string } } }>(
      `mutation($id: ID!) { requestParts(input: { workOrderId: $id, warehouseCode: "FZ-WH", lines: [{ partCode: "FZ-PART", quantity: 1 }] }) { requisition { id } } }`,
      { id: openOrder },
    )
  ).requestParts.requisition.id;
  const claimOrderId = (
    await ok<{ openClaimOrder: { claimOrder: { id: string } } }>(
      `mutation($c: ID!, $w: ID!) { openClaimOrder(input: { customerId: $c, workOrderId: $w, lines: [{ partCode: "FZ-PART", quantity: 1, unitPriceFen: 65000 }], depositFen: 10000 }) { claimOrder { id } } }`,
      { c: customerId, w: openOrder },
    )
  ).openClaimOrder.claimOrder.id;
  const loanId = (
    await ok<{ lendTool: { loan: { id: string } } }>(
      `mutation { lendTool(input: { toolCode: "FZ-TOOL", borrowerId: "fz-tech", signatureRef: "sig://fz-tech/1", condition: GOOD }) { loan { id } } }`,
    )
  ).lendTool.loan.id;
  const complaintId = (
    await ok<{ registerComplaint: { complaint: { id: string } } }>(
      `mutation($c: ID!, $w: ID!) { registerComplaint(input: { complainant: { name: "Fuzz Owner", phone: "13800007777" }, customerId: $c, workOrderId: $w, channel: PHONE, category: SERVICE_ATTITUDE, content: "rude" }) { complaint { id } } }`,
      { c: customerId, w: doneOrder },
    )
  ).registerComplaint.complaint.id;
  const ruleCodes = (
    await ok<{ penaltyRules: { code: string }[] }>(`query { penaltyRules { code } }`)
  ).penaltyRules.map((r) => r.code);
  const penaltyId = (
    await ok<{ proposePenalty: { penalty: { id: string } } }>(
      `mutation($r: String!) { proposePenalty(input: { ruleCode: $r, staffId: "fz-tech", sourceRef: "fuzz-seed" }) { penalty { id } } }`,
      { r: ruleCodes[0] },
    )
  ).proposePenalty.penalty.id;
  // The survey and the follow-up plan come from the completion event.
  const completed = await eventually(
    () =>
      ok<{ workOrder: { survey: { id: string } | null; followUps: { id: string }[] } }>(
        `query($id: ID!) { workOrder(id: $id) { survey { id } followUps { id } } }`,
        { id: doneOrder },
      ),
    (v) => v.workOrder.survey !== null && v.workOrder.followUps.length > 0,
    30_000,
  );
  const surveyId = completed.workOrder.survey?.id;
  if (!surveyId) throw new Error('seeding failed: no survey for the completed work order');
  const surveyToken = (
    await ok<{ issueSurveyLink: { token: string } }>(
      `mutation($id: ID!) { issueSurveyLink(input: { surveyId: $id }) { token } }`,
      { id: surveyId },
    )
  ).issueSurveyLink.token;
  return {
    customer: [customerId],
    asset: [assetId],
    workOrder: [openOrder, doneOrder],
    staff: ['fz-tech', 'fz-lead'],
    warehouse: ['FZ-WH'],
    part: ['FZ-PART'],
    tool: ['FZ-TOOL'],
    loan: [loanId],
    complaint: [complaintId],
    requisition: [requisitionId],
    claimOrder: [claimOrderId],
    penalty: [penaltyId],
    ruleCode: ruleCodes,
    survey: [surveyId],
    followUp: completed.workOrder.followUps.map((f) => f.id),
    surveyToken: [surveyToken],
    station: ['FZ-ST'],
  };
}
