import { readFileSync } from 'node:fs';
import { createLogger, parseSigningKey, type Role } from '@aftercare/kit';
import {
  type CustomerDeps,
  loadCustomerConfig,
  startCustomerService,
} from '@aftercare/customer-service';
import {
  loadWorkOrderConfig,
  startWorkOrderService,
  type WorkOrderDeps,
} from '@aftercare/workorder-service';
import { loadInventoryConfig, startInventoryService } from '@aftercare/inventory-service';
import { loadComplaintConfig, startComplaintService } from '@aftercare/complaint-service';
import { loadSurveyConfig, startSurveyService, type SurveyDeps } from '@aftercare/survey-service';
import { createGateway, signDevToken, SUPERGRAPH_FILE } from '@aftercare/gateway';
import { TEST_AUTH_ENV, type TestServiceEnv, testServiceEnv } from '@aftercare/testkit';
import { checkPublishedEvents } from './support/contracts';

const SECRET = 'e2e-secret-that-is-long-enough-for-hs256-0123456789';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: {
    message: string;
    path?: string[];
    extensions?: { code?: string; reason?: string; field?: string };
  }[];
}

export interface System {
  gatewayUrl: string;
  /** The event subject prefix every service of this system publishes under (one per test file). */
  subjectPrefix: string;
  customerEnv: TestServiceEnv;
  customer: Awaited<ReturnType<typeof startCustomerService>>;
  /** The running customer service's dependencies (tests run its scans: `scanCustomerFiles`). */
  customerDeps: CustomerDeps;
  workorderEnv: TestServiceEnv;
  workorder: Awaited<ReturnType<typeof startWorkOrderService>>;
  /** The running work-order service's dependencies (tests move its clock: `workorderDeps.now = …`). */
  workorderDeps: WorkOrderDeps;
  inventoryEnv: TestServiceEnv;
  inventory: Awaited<ReturnType<typeof startInventoryService>>;
  complaintEnv: TestServiceEnv;
  complaint: Awaited<ReturnType<typeof startComplaintService>>;
  surveyEnv: TestServiceEnv;
  survey: Awaited<ReturnType<typeof startSurveyService>>;
  /** The running survey service's dependencies (tests move its clock: `surveyDeps.now = …`). */
  surveyDeps: SurveyDeps;
  /** Stops the survey service and starts a new instance on the same database and streams. */
  restartSurvey(beforeStart?: () => Promise<void>): Promise<void>;
  /** Each process's admin listener (`/metrics`, probes), by process name. */
  adminUrls(): Record<
    'gateway' | 'customer' | 'workorder' | 'inventory' | 'complaint' | 'survey',
    string
  >;
  token(roles: Role[], user?: string): string;
  /** POSTs an operation to the gateway as a user with the given roles (none: anonymous). */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    roles?: Role[] | null,
    user?: string,
  ): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/** The real system in one process: services on free ports with fresh databases, and the gateway in front. */
export async function startSystem(
  label: string,
  extraWorkorderEnv: Record<string, string> = {},
): Promise<System> {
  const customerEnv = await testServiceEnv(`${label}-customer`, {
    // Tests run archive scans themselves (customerDeps): a scheduled round in a long test file
    // would report the files of customers its back-dated intakes made, and propose penalties the
    // test did not ask for.
    ARCHIVE_SCHEDULER: 'false',
  });
  let customerDeps: CustomerDeps | undefined;
  const customer = await startCustomerService(loadCustomerConfig(customerEnv.env), {
    overrides: { relayPollIntervalMs: 100 },
    onReady: (d) => {
      customerDeps = d;
    },
  });
  const workorderEnv = await testServiceEnv(`${label}-workorder`, {
    CUSTOMER_GRPC_ADDRESS: `127.0.0.1:${customer.grpcPort}`,
    SLA_SCAN_INTERVAL_MS: '1000',
    EVENT_SUBJECT_PREFIX: customerEnv.subjectPrefix,
    ...extraWorkorderEnv,
  });
  let workorderDeps: WorkOrderDeps | undefined;
  const workorder = await startWorkOrderService(loadWorkOrderConfig(workorderEnv.env), {
    overrides: { relayPollIntervalMs: 100 },
    onReady: (d) => {
      workorderDeps = d;
    },
  });
  const inventoryEnv = await testServiceEnv(`${label}-inventory`, {
    WORKORDER_GRPC_ADDRESS: `127.0.0.1:${workorder.grpcPort}`,
    EVENT_SUBJECT_PREFIX: customerEnv.subjectPrefix,
    TOOL_OVERDUE_SCAN_INTERVAL_MS: '1000',
  });
  const inventory = await startInventoryService(loadInventoryConfig(inventoryEnv.env));
  const complaintEnv = await testServiceEnv(`${label}-complaint`, {
    CUSTOMER_GRPC_ADDRESS: `127.0.0.1:${customer.grpcPort}`,
    WORKORDER_GRPC_ADDRESS: `127.0.0.1:${workorder.grpcPort}`,
    EVENT_SUBJECT_PREFIX: customerEnv.subjectPrefix,
    COMPLAINT_SCAN_INTERVAL_MS: '1000',
  });
  const complaint = await startComplaintService(loadComplaintConfig(complaintEnv.env));
  const surveyEnv = await testServiceEnv(`${label}-survey`, {
    CUSTOMER_GRPC_ADDRESS: `127.0.0.1:${customer.grpcPort}`,
    EVENT_SUBJECT_PREFIX: customerEnv.subjectPrefix,
    // Tests run reminder rounds themselves, at the dates they choose.
    REMINDER_SCHEDULER: 'false',
  });
  let surveyDeps: SurveyDeps | undefined;
  const startSurvey = (port = '0') =>
    startSurveyService(loadSurveyConfig({ ...surveyEnv.env, HTTP_PORT: port }), {
      overrides: { relayPollIntervalMs: 100 },
      onReady: (d) => {
        surveyDeps = d;
      },
    });
  let survey = await startSurvey();
  const gateway = createGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    subgraphUrls: {
      customer: `http://127.0.0.1:${customer.httpPort}/graphql`,
      workorder: `http://127.0.0.1:${workorder.httpPort}/graphql`,
      inventory: `http://127.0.0.1:${inventory.httpPort}/graphql`,
      complaint: `http://127.0.0.1:${complaint.httpPort}/graphql`,
      survey: `http://127.0.0.1:${survey.httpPort}/graphql`,
    },
    jwt: { secret: SECRET },
    allowIntrospection: false,
    signingKey: parseSigningKey(TEST_AUTH_ENV.INTERNAL_AUTH_PRIVATE_KEY),
    logger: createLogger('gateway', process.env.TEST_LOG_LEVEL ?? 'warn'),
  });
  const port = await gateway.http.listen('127.0.0.1', 0);
  const gatewayAdminPort = await gateway.http.listenAdmin('127.0.0.1', 0);
  const gatewayUrl = `http://127.0.0.1:${port}/graphql`;
  const token = (roles: Role[], user = 'e2e-user') =>
    signDevToken({ sub: user, roles, secret: SECRET, ttl: '1h' });
  const system: System = {
    gatewayUrl,
    subjectPrefix: customerEnv.subjectPrefix,
    customerEnv,
    customer,
    customerDeps: customerDeps!,
    workorderEnv,
    workorder,
    workorderDeps: workorderDeps!,
    inventoryEnv,
    inventory,
    complaintEnv,
    complaint,
    surveyEnv,
    get survey() {
      return survey;
    },
    get surveyDeps() {
      return surveyDeps!;
    },
    async restartSurvey(beforeStart) {
      const port = String(survey.httpPort);
      await survey.stop();
      await beforeStart?.();
      // Same port: the gateway keeps routing to it.
      survey = await startSurvey(port);
    },
    adminUrls() {
      const url = (p: number) => `http://127.0.0.1:${p}`;
      return {
        gateway: url(gatewayAdminPort),
        customer: url(customer.adminPort),
        workorder: url(workorder.adminPort),
        inventory: url(inventory.adminPort),
        complaint: url(complaint.adminPort),
        survey: url(survey.adminPort),
      };
    },
    token,
    async gql(query, variables = {}, roles = ['agent'], user = 'e2e-user') {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (roles) headers.authorization = `Bearer ${token(roles, user)}`;
      const res = await fetch(gatewayUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as GraphQLResponse<never>;
    },
    async stop() {
      // Before anything is dropped: what the services published must match the published contracts.
      const violation = await checkPublishedEvents(
        [customerEnv, workorderEnv, inventoryEnv, complaintEnv, surveyEnv].map(
          (e) => e.env.DATABASE_URL!,
        ),
      ).catch((e: unknown) => e as Error);
      await gateway.http.close(2000);
      await survey.stop();
      await complaint.stop();
      await inventory.stop();
      await workorder.stop();
      await customer.stop();
      await complaintEnv.cleanup();
      await inventoryEnv.cleanup();
      await surveyEnv.cleanup();
      await workorderEnv.cleanup();
      await customerEnv.cleanup();
      if (violation) throw violation;
    },
  };
  return system;
}
