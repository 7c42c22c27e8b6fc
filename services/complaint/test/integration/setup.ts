import { type Identity, uuidv7 } from '@aftercare/kit';
import { customerV1 } from '@aftercare/proto';
import { type WorkOrderCompleted, workOrderCompleted } from '@aftercare/events';
import {
  publishEnvelope,
  startedForThisFile,
  type TestServiceEnv,
  subgraphData,
  testEnvelope,
  testGrpcClient,
  testServiceStack,
} from '@aftercare/testkit';
import { loadCustomerConfig, startCustomerService } from '@aftercare/customer-service';
import { loadWorkOrderConfig, startWorkOrderService } from '@aftercare/workorder-service';
import { loadComplaintConfig, startComplaintService } from '../../src';
import type { ComplaintDeps } from '../../src/app/deps';

export const manager: Identity = { userId: uuidv7(), roles: ['manager', 'agent', 'dispatcher'] };

/** Customer, work-order and complaint services, real, sharing one event subject prefix. */
export interface Services {
  customerEnv: TestServiceEnv;
  workorderEnv: TestServiceEnv;
  complaintEnv: TestServiceEnv;
  customer: Awaited<ReturnType<typeof startCustomerService>>;
  workorder: Awaited<ReturnType<typeof startWorkOrderService>>;
  complaint: Awaited<ReturnType<typeof startComplaintService>>;
  deps: ComplaintDeps;
  subjectPrefix: string;
  stop(): Promise<void>;
}

/**
 * Starts the customer, work-order and complaint services in that order (each calls the ones before
 * it), with the complaint scheduler off so only the test moves deadlines. When one fails to start,
 * those already started are stopped before the error is thrown.
 */
async function startServices(label: string, extra: Record<string, string> = {}) {
  const stack = testServiceStack();
  try {
    const customer = await stack.start(`${label}-customer`, (e) =>
      startCustomerService(loadCustomerConfig(e)),
    );
    const subjectPrefix = customer.env.subjectPrefix;
    const workorder = await stack.start(
      `${label}-workorder`,
      (e) => startWorkOrderService(loadWorkOrderConfig(e)),
      {
        CUSTOMER_GRPC_ADDRESS: `127.0.0.1:${customer.service.grpcPort}`,
        SLA_SCHEDULER: 'false',
        EVENT_SUBJECT_PREFIX: subjectPrefix,
      },
    );
    let deps: ComplaintDeps | undefined;
    const complaint = await stack.start(
      label,
      (e) =>
        startComplaintService(loadComplaintConfig(e), {
          onReady: (d) => {
            deps = d;
          },
        }),
      {
        CUSTOMER_GRPC_ADDRESS: `127.0.0.1:${customer.service.grpcPort}`,
        WORKORDER_GRPC_ADDRESS: `127.0.0.1:${workorder.service.grpcPort}`,
        EVENT_SUBJECT_PREFIX: subjectPrefix,
        COMPLAINT_SCHEDULER: 'false',
        ...extra,
      },
    );
    return {
      customerEnv: customer.env,
      workorderEnv: workorder.env,
      complaintEnv: complaint.env,
      customer: customer.service,
      workorder: workorder.service,
      complaint: complaint.service,
      deps: deps!,
      subjectPrefix,
      stop: () => stack.stop(),
    } satisfies Services;
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

/** The services of `startServices`, started before the file's tests and stopped after them. */
export const servicesForThisFile = (label: string, extra: Record<string, string> = {}): Services =>
  startedForThisFile(() => startServices(label, extra));

/** A customer with a mobile on file, created over the customer service's gRPC API. */
export async function createCustomer(s: Services, name: string, mobile: string): Promise<string> {
  const client = testGrpcClient(
    customerV1.CustomerServiceClient,
    `127.0.0.1:${s.customer.grpcPort}`,
    { identity: manager },
  );
  try {
    const { customer } = await client.createCustomer(
      customerV1.CreateCustomerRequest.create({
        kind: customerV1.CustomerKind.CUSTOMER_KIND_PERSON,
        name,
        contacts: [{ name, mobile, primary: true }],
        addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' } }],
      }),
    );
    return customer!.id;
  } finally {
    client.close();
  }
}

export const complaintGraph = <T>(
  s: Services,
  query: string,
  variables: object,
  caller: Identity,
) => subgraphData<T>(s.complaint.httpPort, query, variables, caller);

/** A staff member on the work-order roster (position and team lead matter to penalties). */
export async function upsertStaff(
  s: Services,
  staff: { id: string; name: string; position?: string; teamLeadId?: string },
): Promise<void> {
  await subgraphData(
    s.workorder.httpPort,
    `mutation($input: UpsertStaffInput!) { upsertStaff(input: $input) { staff { id } } }`,
    // All-round: anyone here may be dispatched to a job of any category (R-WO-10).
    {
      input: {
        ...staff,
        skills: ['ELECTRICAL', 'MECHANICAL', 'BODY', 'BATTERY', 'SOFTWARE', 'OTHER'],
      },
    },
    manager,
  );
}

/**
 * Publishes `workorder.completed` as the work-order relay would: a completed PAID order on site in
 * Hangzhou unless `over` says otherwise. The data must pass the producer's contract.
 */
export async function publishCompleted(
  s: Services,
  over: Partial<WorkOrderCompleted> & { workOrderId: string; completedAt: string },
): Promise<void> {
  const data = workOrderCompleted.parse({
    number: 'WO-TEST',
    status: 'RESOLVED_ON_SITE',
    customerId: null,
    assetId: null,
    serviceType: 'PAID',
    category: 'MECHANICAL',
    region: { province: 'Zhejiang', city: 'Hangzhou', district: null },
    technicianIds: [],
    leadTechnicianId: null,
    calledAt: new Date(Date.parse(over.completedAt) - 86_400_000).toISOString(),
    stationCode: null,
    resolution: 'ON_SITE',
    partsReplaced: [],
    oldPartsCollected: false,
    oldParts: [],
    responsibility: null,
    repeatOfWorkOrderId: null,
    ...over,
  } satisfies WorkOrderCompleted);
  await publishEnvelope(
    s.subjectPrefix,
    testEnvelope('workorder.completed', over.workOrderId, data),
  );
}

/** Records a complaint through the subgraph as the manager; returns its id. */
export async function registerComplaint(s: Services, input: object): Promise<string> {
  const {
    registerComplaint: { complaint: recorded },
  } = await complaintGraph<{
    registerComplaint: { complaint: { id: string } };
  }>(
    s,
    `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id } } }`,
    { input },
    manager,
  );
  return recorded.id;
}
