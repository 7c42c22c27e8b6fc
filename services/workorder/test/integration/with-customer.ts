import type { Env } from '@aftercare/kit';
import { startedForThisFile, type TestServiceEnv, testServiceStack } from '@aftercare/testkit';
import { loadCustomerConfig, startCustomerService } from '@aftercare/customer-service';
import { loadWorkOrderConfig, startWorkOrderService } from '../../src';

/** The work-order service and the real customer service it checks intake against over gRPC. */
export interface WithCustomer {
  customerEnv: TestServiceEnv;
  workorderEnv: TestServiceEnv;
  customer: Awaited<ReturnType<typeof startCustomerService>>;
  workorder: Awaited<ReturnType<typeof startWorkOrderService>>;
  stop(): Promise<void>;
}

/**
 * Starts the customer service, then the work-order service calling it, each in a fresh test
 * environment (`<label>-customer` and `<label>`). The SLA scheduler is off: only the test moves
 * orders. When either fails to start, what did start is stopped before the error is thrown.
 */
async function startWithCustomer(label: string, extra: Env = {}): Promise<WithCustomer> {
  const stack = testServiceStack();
  try {
    const customer = await stack.start(`${label}-customer`, (e) =>
      startCustomerService(loadCustomerConfig(e)),
    );
    const workorder = await stack.start(
      label,
      (e) => startWorkOrderService(loadWorkOrderConfig(e)),
      {
        CUSTOMER_GRPC_ADDRESS: `127.0.0.1:${customer.service.grpcPort}`,
        SLA_SCHEDULER: 'false',
        ...extra,
      },
    );
    return {
      customerEnv: customer.env,
      workorderEnv: workorder.env,
      customer: customer.service,
      workorder: workorder.service,
      stop: () => stack.stop(),
    };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

/** The services of `startWithCustomer`, started before the file's tests and stopped after them. */
export const withCustomerForThisFile = (label: string, extra: Env = {}): WithCustomer =>
  startedForThisFile(() => startWithCustomer(label, extra));
