import { type Identity, uuidv7 } from '@aftercare/kit';
import { customerV1 } from '@aftercare/proto';
import { type WorkOrderCompleted, workOrderCompleted } from '@aftercare/events';
import {
  publishEnvelope,
  type TestServiceEnv,
  subgraphData,
  testEnvelope,
  testServiceEnv,
  testGrpcClient,
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

export async function startServices(label: string, extra: Record<string, string> = {}) {
  const customerEnv = await testServiceEnv(`${label}-customer`);
  const subjectPrefix = customerEnv.subjectPrefix;
  const customer = await startCustomerService(loadCustomerConfig(customerEnv.env));
  const workorderEnv = await testServiceEnv(`${label}-workorder`, {
    CUSTOMER_GRPC_ADDRESS: `127.0.0.1:${customer.grpcPort}`,
    SLA_SCHEDULER: 'false',
    EVENT_SUBJECT_PREFIX: subjectPrefix,
  });
  const workorder = await startWorkOrderService(loadWorkOrderConfig(workorderEnv.env));
  const complaintEnv = await testServiceEnv(label, {
    CUSTOMER_GRPC_ADDRESS: `127.0.0.1:${customer.grpcPort}`,
    WORKORDER_GRPC_ADDRESS: `127.0.0.1:${workorder.grpcPort}`,
    EVENT_SUBJECT_PREFIX: subjectPrefix,
    COMPLAINT_SCHEDULER: 'false',
    ...extra,
  });
  let deps: ComplaintDeps | undefined;
  const complaint = await startComplaintService(loadComplaintConfig(complaintEnv.env), {
    onReady: (d) => {
      deps = d;
    },
  });
  return {
    customerEnv,
    workorderEnv,
    complaintEnv,
    customer,
    workorder,
    complaint,
    deps: deps!,
    subjectPrefix,
    async stop() {
      await complaint.stop();
      await workorder.stop();
      await customer.stop();
      await complaintEnv.cleanup();
      await workorderEnv.cleanup();
      await customerEnv.cleanup();
    },
  } satisfies Services;
}

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
    { input: staff },
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
