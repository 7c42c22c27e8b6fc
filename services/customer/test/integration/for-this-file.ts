import { type Identity, uuidv7 } from '@aftercare/kit';
import { subgraphData, type TestServiceEnv, testServiceEnv } from '@aftercare/testkit';
import { loadCustomerConfig, startCustomerService } from '../../src';
import type { CustomerDeps } from '../../src/app/deps';

export interface CustomerForThisFile {
  env: TestServiceEnv;
  service: Awaited<ReturnType<typeof startCustomerService>>;
  /** The running service's dependencies, for calling a scan directly (its scheduler is off). */
  deps: CustomerDeps;
}

/**
 * The customer service on this test file's own database and stream, its schedulers off so that the
 * tests run the scans themselves; filled in by `beforeAll`, stopped by `afterAll`.
 */
export function customerForThisFile(
  name: string,
  settings: Record<string, string> = {},
): CustomerForThisFile {
  const s = {} as CustomerForThisFile;
  beforeAll(async () => {
    s.env = await testServiceEnv(name, { ARCHIVE_SCHEDULER: 'false', ...settings });
    s.service = await startCustomerService(loadCustomerConfig(s.env.env), {
      overrides: { relayPollIntervalMs: 100 },
      onReady: (deps) => (s.deps = deps),
    });
  });
  afterAll(async () => {
    await s.service?.stop();
    await s.env?.cleanup();
  });
  return s;
}

/** A person's file with one vehicle on it, created through the subgraph by `who`. */
export async function customerWithVehicle(
  s: CustomerForThisFile,
  who: Identity,
  name: string,
  mobile: string,
): Promise<{ customerId: string; assetId: string }> {
  const { createCustomer } = await subgraphData<{ createCustomer: { customer: { id: string } } }>(
    s.service.httpPort,
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`,
    {
      input: {
        kind: 'PERSON',
        name,
        contacts: [{ name, mobile, primary: true }],
        addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' }, primary: true }],
      },
    },
    who,
  );
  const { registerAsset } = await subgraphData<{ registerAsset: { asset: { id: string } } }>(
    s.service.httpPort,
    `mutation($input: RegisterAssetInput!) { registerAsset(input: $input) { asset { id } } }`,
    {
      input: {
        customerId: createCustomer.customer.id,
        kind: 'VEHICLE',
        model: 'EV-300',
        serialNumber: `SN-${uuidv7()}`,
      },
    },
    who,
  );
  return { customerId: createCustomer.customer.id, assetId: registerAsset.asset.id };
}
