import type { Identity } from '@aftercare/kit';
import { subgraphData, subgraphRequest } from '@aftercare/testkit';
import { type FaultSystem, sleep } from './system';

const TECH: Identity = { userId: 'fault-tech', roles: ['technician'] };
const DISPATCHER: Identity = { userId: 'fault-dispatcher', roles: ['dispatcher'] };
const AGENT: Identity = { userId: 'fault-agent', roles: ['agent'] };
const MANAGER: Identity = { userId: 'fault-manager', roles: ['manager'] };

const REGISTER = `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id } } }`;
const COMPLETION = [
  {
    op: 'dispatchWorkOrder',
    caller: DISPATCHER,
    query: `mutation($id: ID!) { dispatchWorkOrder(input: { workOrderId: $id, technicianIds: ["${TECH.userId}"] }) { workOrder { id } } }`,
  },
  {
    op: 'departForSite',
    caller: TECH,
    query: `mutation($id: ID!) { departForSite(input: { workOrderId: $id }) { workOrder { status } } }`,
  },
  {
    op: 'arriveOnSite',
    caller: TECH,
    query: `mutation($id: ID!) { arriveOnSite(input: { workOrderId: $id }) { workOrder { status } } }`,
  },
  {
    op: 'resolveOnSite',
    caller: TECH,
    query: `mutation($id: ID!) { resolveOnSite(input: { workOrderId: $id, report: { cause: "fuse", responsibility: PRODUCT, workDone: "fuse replaced", partsReplaced: [], oldPartsCollected: false, oldParts: [] } }) { workOrder { status } } }`,
  },
];

/** A request the service did not acknowledge: its GraphQL error code, or how the call failed. */
export interface Failure {
  op: string;
  code: string;
  reason?: string;
  message: string;
}

export interface LoadResult {
  /** Work orders whose registration was answered with their id: acknowledged writes. */
  registered: string[];
  /** Work orders whose completion (`resolveOnSite`) was acknowledged. */
  completed: string[];
  failures: Failure[];
  /** Intakes started. */
  intakes: number;
}

export interface IntakeLoad {
  /** Acknowledged registrations so far (the test waits for load to flow again with it). */
  registeredCount(): number;
  /** Stops starting intakes and waits for those under way. */
  stop(): Promise<LoadResult>;
}

/** A customer with an asset under warranty, and the technician the orders are dispatched to. */
async function prepareIntake(
  system: FaultSystem,
): Promise<{ customerId: string; assetId: string }> {
  const { customer, workorder } = system.services;
  await subgraphData(
    workorder.httpPort,
    // Skilled in the category of every intake: dispatch refuses an unqualified technician (R-WO-10).
    `mutation($id: ID!) { upsertStaff(input: { id: $id, name: "Fault Tech", skills: ["ELECTRICAL"] }) { staff { id } } }`,
    { id: TECH.userId },
    MANAGER,
  );
  const c = await subgraphData<{ createCustomer: { customer: { id: string } } }>(
    customer.httpPort,
    `mutation { createCustomer(input: { kind: PERSON, name: "Fault Owner", contacts: [{ name: "F", mobile: "13700000017" }], addresses: [{ region: { province: "Zhejiang", city: "Hangzhou" } }] }) { customer { id } } }`,
    {},
    AGENT,
  );
  const customerId = c.createCustomer.customer.id;
  const a = await subgraphData<{ registerAsset: { asset: { id: string } } }>(
    customer.httpPort,
    `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: VEHICLE, model: "EV", vin: "LSVAA4187E2170017", warrantyStart: "2026-01-01", warrantyEnd: "2028-01-01" }) { asset { id } } }`,
    { id: customerId },
    AGENT,
  );
  return { customerId, assetId: a.registerAsset.asset.id };
}

export interface LoadOptions {
  /** Intakes started per second. */
  perSecond: number;
  /** Every nth registered order is also dispatched and resolved on site (→ a survey). */
  completeEvery: number;
  /** Intakes in flight beyond which a tick starts none (a stalled service is not flooded). */
  maxInFlight?: number;
}

/**
 * A steady stream of intakes through the work-order service's subgraph, as the gateway relays
 * them: each registers a work order (gRPC entitlement check with the customer service, outbox);
 * every nth is then driven to completion. Failures are kept with their code, never retried: the
 * test asserts what was acknowledged, and how the rest was refused.
 */
function startIntakeLoad(
  system: FaultSystem,
  subject: { customerId: string; assetId: string },
  options: LoadOptions,
): IntakeLoad {
  const port = system.services.workorder.httpPort;
  const result: LoadResult = { registered: [], completed: [], failures: [], intakes: 0 };
  const inFlight = new Set<Promise<void>>();
  const maxInFlight = options.maxInFlight ?? 50;

  /** The data of an acknowledged call, or null (the failure recorded). */
  async function call<T>(op: string, query: string, variables: object, caller: Identity) {
    try {
      const body = await subgraphRequest<T>(port, query, variables, caller, { timeoutMs: 15_000 });
      const error = body.errors?.[0];
      if (!error && body.data) return body.data;
      result.failures.push({
        op,
        code: error?.extensions?.code ?? 'NO_DATA',
        reason: error?.extensions?.reason,
        message: error?.message ?? '',
      });
    } catch (e) {
      result.failures.push({
        op,
        code: (e as Error).name === 'TimeoutError' ? 'CLIENT_TIMEOUT' : 'NETWORK',
        message: (e as Error).message,
      });
    }
    return null;
  }

  async function intake(n: number): Promise<void> {
    const data = await call<{ registerWorkOrder: { workOrder: { id: string } } }>(
      'registerWorkOrder',
      REGISTER,
      {
        input: {
          ...subject,
          contact: { name: 'F', phone: '13700000017' },
          address: { region: { province: 'Zhejiang', city: 'Hangzhou' } },
          areaType: 'URBAN',
          distanceKm: 5,
          faultDescription: `fault-injection intake ${n}`,
          category: 'ELECTRICAL',
          channel: 'PHONE',
        },
      },
      AGENT,
    );
    if (!data) return;
    const id = data.registerWorkOrder.workOrder.id;
    result.registered.push(id);
    if (n % options.completeEvery !== 0) return;
    for (const step of COMPLETION)
      if (!(await call(step.op, step.query, { id }, step.caller))) return;
    result.completed.push(id);
  }

  const timer = setInterval(() => {
    if (inFlight.size >= maxInFlight) return;
    const n = (result.intakes += 1);
    const running = intake(n).finally(() => inFlight.delete(running));
    inFlight.add(running);
  }, 1000 / options.perSecond);

  return {
    registeredCount: () => result.registered.length,
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      return result;
    },
  };
}

export interface Fault {
  inject(): Promise<void>;
  /** How long the fault lasts under load. */
  outageMs: number;
  restore(): Promise<void>;
}

export interface FaultRun {
  result: LoadResult;
  faultAt: number;
  /** When `restore` had returned. */
  restoredAt: number;
  /** Registrations acknowledged while the fault lasted. */
  registeredDuringFault: number;
}

/**
 * The shape of every scenario: intakes at ~10/s (every third order completed) for `warmUpMs`,
 * the fault for `outageMs`, then `settleMs` more load after it is repaired.
 */
export async function faultUnderLoad(
  system: FaultSystem,
  fault: Fault,
  { warmUpMs = 3_000, settleMs = 4_000 } = {},
): Promise<FaultRun> {
  const load = startIntakeLoad(system, await prepareIntake(system), {
    perSecond: 10,
    completeEvery: 3,
  });
  await sleep(warmUpMs);
  const faultAt = Date.now();
  await fault.inject();
  const registeredBefore = load.registeredCount();
  await sleep(fault.outageMs);
  const registeredDuringFault = load.registeredCount() - registeredBefore;
  await fault.restore();
  const restoredAt = Date.now();
  await sleep(settleMs);
  return { result: await load.stop(), faultAt, restoredAt, registeredDuringFault };
}
