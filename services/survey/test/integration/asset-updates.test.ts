import { uuidv7 } from '@aftercare/kit';
import type { CustomerAssetRegistered, CustomerAssetUpdated } from '@aftercare/events';
import { dbQuery, type TestServiceEnv, testServiceEnv } from '@aftercare/testkit';
import { loadSurveyConfig, startSurveyService } from '../../src';
import { eventually, publish } from './support';

// R-CU-7 → R-SV-3: an asset file changes after registration (a maintenance done, a new owner);
// the reminders follow the file from `customer.asset_updated`, never from an older version.
let env: TestServiceEnv;
let service: Awaited<ReturnType<typeof startSurveyService>>;

beforeAll(async () => {
  env = await testServiceEnv('survey-asset-updates', {
    CUSTOMER_GRPC_ADDRESS: '127.0.0.1:1',
    REMINDER_SCHEDULER: 'false',
  });
  service = await startSurveyService(loadSurveyConfig(env.env), {
    overrides: { relayPollIntervalMs: 100 },
  });
});

afterAll(async () => {
  await service?.stop();
  await env?.cleanup();
});

const OWNER = uuidv7();
const BUYER = uuidv7();

const registered = (assetId: string): CustomerAssetRegistered => ({
  assetId,
  customerId: OWNER,
  kind: 'VEHICLE',
  model: 'EV-300',
  serialNumber: `SN-${assetId}`,
  vin: null,
  plateNumber: null,
  purchaseDate: '2026-01-10',
  sellingDealer: null,
  mileageKm: 1000,
  runningHours: null,
  warrantyStart: null,
  warrantyEnd: null,
  contract: null,
  maintenanceCycleDays: 90,
  nextMaintenanceDue: '2026-04-10',
});

const updated = (
  assetId: string,
  over: Partial<CustomerAssetUpdated> & Pick<CustomerAssetUpdated, 'change' | 'version'>,
): CustomerAssetUpdated => ({
  ...registered(assetId),
  previousCustomerId: null,
  lastMaintenance: null,
  unitSwap: null,
  workOrderId: null,
  reason: null,
  changedBy: 'tech-1',
  changedAt: new Date().toISOString(),
  ...over,
});

const fileOf = async (assetId: string) =>
  (
    await dbQuery<{ customer_id: string; next_due: string | null; version: number }>(
      env.env.DATABASE_URL!,
      `SELECT customer_id, to_char(next_maintenance_due, 'YYYY-MM-DD') AS next_due, version
         FROM asset_file WHERE asset_id = $1`,
      [assetId],
    )
  )[0];

it('R-CU-7 a maintenance done and a new owner move the reminder dates; an older version is ignored', async () => {
  const assetId = uuidv7();
  await publish(env.subjectPrefix, 'customer.asset_registered', registered(assetId));
  await publish(
    env.subjectPrefix,
    'customer.asset_updated',
    updated(assetId, {
      change: 'MAINTENANCE',
      version: 2,
      lastMaintenance: '2026-05-02',
      nextMaintenanceDue: '2026-07-31',
    }),
  );
  await publish(
    env.subjectPrefix,
    'customer.asset_updated',
    updated(assetId, {
      change: 'OWNERSHIP',
      version: 3,
      customerId: BUYER,
      previousCustomerId: OWNER,
      lastMaintenance: '2026-05-02',
      nextMaintenanceDue: '2026-07-31',
      reason: 'sold',
    }),
  );
  expect(
    await eventually(
      () => fileOf(assetId),
      (f) => f?.version === 3,
    ),
  ).toEqual({ customer_id: BUYER, next_due: '2026-07-31', version: 3 });

  // A redelivered older version (and the registration again) leave the newer file as it is.
  await publish(
    env.subjectPrefix,
    'customer.asset_updated',
    updated(assetId, { change: 'READING', version: 2, mileageKm: 2000 }),
  );
  await publish(env.subjectPrefix, 'customer.asset_registered', registered(assetId));
  const marker = uuidv7();
  await publish(env.subjectPrefix, 'customer.asset_registered', registered(marker));
  await eventually(
    () => fileOf(marker),
    (f) => f !== undefined,
  );
  expect(await fileOf(assetId)).toEqual({
    customer_id: BUYER,
    next_due: '2026-07-31',
    version: 3,
  });
});
