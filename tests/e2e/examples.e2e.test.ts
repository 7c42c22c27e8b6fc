import type { Role } from '@aftercare/kit';
import { readExamples, type ExampleFile, type ExampleOperation } from '@aftercare/gateway';
import { eventually } from './support/events';
import { startSystem, type GraphQLResponse, type System } from './harness';

// Issue 13 point 6: every example operation of docs/examples runs through the real gateway with
// the role of its front end and answers without errors. The examples build their own world, as
// the front ends would: the manager sets up the roster and a warehouse, the warehouse its parts,
// the call centre a customer and a service request, the dispatch board dispatches it, the
// technician app works it, the survey page answers the survey the customer-relations desk sent.

const TECHNICIAN = 'tech-ex-1';
const WAREHOUSE = 'EX-HZ';
const PART = 'EX-FUSE-30A';
const PLATE = '浙A·E1001';
const today = () => new Date().toISOString().slice(0, 10);
const month = () => today().slice(0, 7);

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** What earlier steps created, for the variables of later ones. */
type World = Record<string, string>;

interface Step {
  operation: string;
  /** The user id in the token (the technician app acts as the dispatched technician). */
  user?: string;
  variables?: (w: World) => Record<string, unknown>;
  /** Keeps ids of what the operation created. */
  keep?: (data: Data, w: World) => void;
  /** Asks again until this holds (what events bring about arrives a moment later). */
  until?: (data: Data) => boolean;
}

/** The order of a working day, not of the files: the world each step needs exists before it. */
const STEPS: Step[] = [
  {
    operation: 'UpsertStaff',
    variables: () => ({
      input: {
        id: TECHNICIAN,
        name: 'Zhou Wei',
        team: 'east',
        skills: ['ELECTRICAL'],
        region: { province: 'Zhejiang', city: 'Hangzhou' },
      },
    }),
  },
  {
    operation: 'CreateWarehouse',
    variables: () => ({
      input: {
        code: WAREHOUSE,
        name: 'Hangzhou station',
        kind: 'STATION',
        region: { province: 'Zhejiang', city: 'Hangzhou' },
      },
    }),
  },
  {
    operation: 'UpsertPart',
    variables: () => ({
      input: { code: PART, name: 'Fuse 30 A', unit: 'PCS', priceFen: 500, reorderPoint: 2 },
    }),
  },
  {
    operation: 'ReceiveGoods',
    variables: () => ({
      input: {
        type: 'RECEIPT',
        warehouseCode: WAREHOUSE,
        lines: [{ partCode: PART, quantity: 10 }],
        reference: 'PO-EX-1',
      },
    }),
  },
  {
    operation: 'CreateCustomer',
    variables: () => ({
      input: {
        kind: 'PERSON',
        name: 'Chen Example',
        contacts: [{ name: 'Chen Example', mobile: '13800007777' }],
        addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou', district: 'Xihu' } }],
      },
    }),
    keep: (d, w) => (w.customerId = d.createCustomer.customer.id),
  },
  {
    operation: 'RegisterVehicle',
    variables: (w) => ({
      input: {
        customerId: w.customerId,
        kind: 'VEHICLE',
        model: 'City EV 48V',
        vin: 'LSVEXAMP1E2000001',
        plateNumber: PLATE,
        warrantyStart: '2026-01-01',
        warrantyEnd: '2028-12-31',
      },
    }),
    keep: (d, w) => (w.assetId = d.registerAsset.asset.id),
  },
  { operation: 'FindCaller', variables: () => ({ filter: { plateNumber: PLATE } }) },
  {
    operation: 'RegisterServiceRequest',
    variables: (w) => ({
      input: {
        customerId: w.customerId,
        assetId: w.assetId,
        contact: { name: 'Chen Example', phone: '13800007777' },
        address: { region: { province: 'Zhejiang', city: 'Hangzhou', district: 'Xihu' } },
        areaType: 'URBAN',
        distanceKm: 4,
        faultDescription: 'no power after rain',
        category: 'ELECTRICAL',
        channel: 'PHONE',
      },
    }),
    keep: (d, w) => (w.workOrderId = d.registerWorkOrder.workOrder.id),
  },
  { operation: 'DispatchBoard', variables: () => ({ filter: { province: 'Zhejiang' } }) },
  { operation: 'TechniciansForDispatch', variables: () => ({ skill: 'ELECTRICAL' }) },
  {
    operation: 'DispatchWorkOrder',
    variables: (w) => ({ input: { workOrderId: w.workOrderId, technicianIds: [TECHNICIAN] } }),
  },
  { operation: 'MyOpenWorkOrders', user: TECHNICIAN, variables: () => ({ me: TECHNICIAN }) },
  {
    operation: 'DepartForSite',
    user: TECHNICIAN,
    variables: (w) => ({ input: { workOrderId: w.workOrderId } }),
  },
  {
    operation: 'ArriveOnSite',
    user: TECHNICIAN,
    variables: (w) => ({ input: { workOrderId: w.workOrderId } }),
  },
  {
    operation: 'RequestParts',
    user: TECHNICIAN,
    variables: (w) => ({
      input: {
        workOrderId: w.workOrderId,
        warehouseCode: WAREHOUSE,
        lines: [{ partCode: PART, quantity: 1 }],
      },
    }),
    keep: (d, w) => (w.requisitionId = d.requestParts.requisition.id),
  },
  {
    operation: 'ApproveRequisition',
    variables: (w) => ({ input: { requisitionId: w.requisitionId } }),
  },
  { operation: 'RequisitionToIssue', variables: (w) => ({ id: w.requisitionId }) },
  {
    operation: 'IssueParts',
    variables: (w) => ({
      input: { requisitionId: w.requisitionId, lines: [{ partCode: PART, quantity: 1 }] },
    }),
  },
  { operation: 'StockOnHand' },
  {
    operation: 'ResolveOnSite',
    user: TECHNICIAN,
    variables: (w) => ({
      input: {
        workOrderId: w.workOrderId,
        report: {
          cause: 'blown main fuse',
          responsibility: 'PRODUCT',
          workDone: 'fuse replaced, wiring dried and checked',
          partsReplaced: [{ code: PART, name: 'Fuse 30 A', quantity: 1, reason: 'blown' }],
          oldPartsCollected: true,
          oldParts: [{ name: 'Fuse 30 A', quantity: 1 }],
        },
      },
    }),
  },
  {
    operation: 'CustomerSignature',
    user: TECHNICIAN,
    variables: (w) => ({ input: { workOrderId: w.workOrderId, signerName: 'Chen Example' } }),
  },
  { operation: 'MissingOldParts' },
  { operation: 'WorkOrderForCaller', variables: (w) => ({ id: w.workOrderId }) },
  {
    operation: 'WorkOrderSurvey',
    variables: (w) => ({ workOrderId: w.workOrderId }),
    until: (d) => d.workOrder.survey !== null,
    keep: (d, w) => (w.surveyId = d.workOrder.survey.id),
  },
  {
    operation: 'SendSurveyLink',
    variables: (w) => ({ input: { surveyId: w.surveyId } }),
    keep: (d, w) => (w.surveyToken = d.issueSurveyLink.token),
  },
  {
    operation: 'SurveyForm',
    variables: (w) => ({ token: w.surveyToken }),
    keep: (d, w) => (w.surveyItems = JSON.stringify(d.surveyByToken.items.map((i: Data) => i.key))),
  },
  {
    operation: 'AnswerSurvey',
    variables: (w) => ({
      input: {
        token: w.surveyToken,
        answers: (JSON.parse(w.surveyItems!) as string[]).map((item) => ({
          item,
          level: 'VERY_SATISFIED',
        })),
        suggestions: 'Quick and tidy.',
      },
    }),
  },
  {
    operation: 'RegisterComplaint',
    variables: (w) => ({
      input: {
        complainant: { name: 'Chen Example', phone: '13800007777' },
        customerId: w.customerId,
        workOrderId: w.workOrderId,
        channel: 'PHONE',
        category: 'SERVICE_ATTITUDE',
        content: 'The technician arrived without calling ahead.',
      },
    }),
  },
  { operation: 'OpenComplaints' },
  { operation: 'FollowUpCalls', variables: () => ({}) },
  {
    operation: 'KpiOverview',
    variables: () => ({
      scope: { from: today(), to: today() },
      fromTime: `${today()}T00:00:00+08:00`,
      toTime: new Date(Date.now() + 60_000).toISOString(),
    }),
  },
  { operation: 'DailyReport', variables: () => ({ date: today() }) },
  { operation: 'PenaltyPayroll', variables: () => ({ month: month() }) },
  {
    operation: 'MyRating',
    user: TECHNICIAN,
    variables: () => ({ me: TECHNICIAN, month: month() }),
  },
];

let sys: System;
const examples = new Map<string, { file: ExampleFile; operation: ExampleOperation }>(
  readExamples().flatMap((file) =>
    file.operations.map((operation) => [operation.name, { file, operation }] as const),
  ),
);

beforeAll(async () => {
  sys = await startSystem('e2e-examples');
});
afterAll(() => sys?.stop());

/** POSTs one example operation (with its fragments) as a user holding the front end's role. */
async function run(
  file: ExampleFile,
  operation: ExampleOperation,
  variables: Record<string, unknown>,
  user: string,
): Promise<GraphQLResponse<Data>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const roles: Role[] | null = file.role && [file.role];
  if (roles) headers.authorization = `Bearer ${sys.token(roles, user)}`;
  const res = await fetch(sys.gatewayUrl, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: operation.text, operationName: operation.name, variables }),
  });
  return (await res.json()) as GraphQLResponse<Data>;
}

it('every example operation is part of the run (none is left untested)', () => {
  expect([...examples.keys()].sort()).toEqual(STEPS.map((s) => s.operation).sort());
});

it('runs every example operation through the gateway with its front end’s role, without errors', async () => {
  const world: World = {};
  for (const step of STEPS) {
    const { file, operation } = examples.get(step.operation)!;
    const ask = () =>
      run(file, operation, step.variables?.(world) ?? {}, step.user ?? `${file.frontEnd}-user`);
    const answer = step.until
      ? await eventually(ask, (r) => r.errors !== undefined || step.until!(r.data!))
      : await ask();
    expect({ operation: step.operation, errors: answer.errors }).toEqual({
      operation: step.operation,
      errors: undefined,
    });
    step.keep?.(answer.data!, world);
  }
});
