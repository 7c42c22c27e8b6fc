import { BusinessCalendar } from '@aftercare/calendar';
import { certificateExpiring } from '@aftercare/events';
import { type Identity } from '@aftercare/kit';
import {
  dbQuery,
  startTestService,
  stopTestService,
  subgraphData,
  type TestService,
} from '@aftercare/testkit';
import type { WorkOrderDeps } from '../../src/app/deps';
import { remindExpiringCertificates } from '../../src/app/certificate-reminders';
import { loadWorkOrderConfig, startWorkOrderService } from '../../src';

// R-WO-10 certificates about to expire produce a reminder: `workorder.certificate_expiring`, once
// per certificate and expiry date, on real PostgreSQL with the outbox.
const manager: Identity = { userId: 'cr-mgr', roles: ['manager'] };
const calendar = new BusinessCalendar();
let started: TestService<Awaited<ReturnType<typeof startWorkOrderService>>>;
let deps: WorkOrderDeps;

beforeAll(async () => {
  started = await startTestService(
    'wo-cert-reminders',
    (e) => startWorkOrderService(loadWorkOrderConfig(e), { onReady: (d) => (deps = d) }),
    // Only the test scans; the customer service is never called here.
    { CERTIFICATE_SCHEDULER: 'false', SLA_SCHEDULER: 'false', CERTIFICATE_REMINDER_DAYS: '30' },
  );
});
afterAll(() => stopTestService(started));

const gql = <T>(query: string, variables: object = {}) =>
  subgraphData<T>(started.service.httpPort, query, variables, manager);

const staff = async (id: string, certificates: object[], active = true) => {
  await gql(
    `mutation($id: ID!, $name: String!) { upsertStaff(input: { id: $id, name: $name, team: "east", stationCode: "CR-1", active: ${active} }) { staff { id } } }`,
    { id, name: id },
  );
  await gql(
    `mutation($input: SetStaffQualificationsInput!) { setStaffQualifications(input: $input) { staff { id } } }`,
    { input: { staffId: id, certificates } },
  );
};

const reminders = () =>
  dbQuery<{ aggregate_id: string; data: Record<string, unknown> }>(
    started.env.env.DATABASE_URL!,
    `SELECT aggregate_id, payload->'data' AS data FROM outbox
      WHERE type = 'workorder.certificate_expiring' ORDER BY payload->'data'->>'staffId', payload->'data'->>'certificateCode'`,
  );

it('R-WO-10 a certificate expiring within the lead time, or expired, is reminded once however many replicas scan', async () => {
  await staff('cr-soon', [
    { code: 'HV', name: 'High voltage', expiresOn: '2026-12-20' },
    { code: 'GAS', name: 'Gas fitting', expiresOn: '2027-06-30' },
  ]);
  await staff('cr-lapsed', [{ code: 'HV', name: 'High voltage', expiresOn: '2026-11-30' }]);
  await staff('cr-forever', [{ code: 'HV', name: 'High voltage' }]);
  await staff('cr-left', [{ code: 'HV', name: 'High voltage', expiresOn: '2026-12-10' }], false);
  deps.now = () => calendar.fromLocal('2026-12-04T09:00');

  // Three replicas scanning at the same moment.
  const sent = await Promise.all([1, 2, 3].map(() => remindExpiringCertificates(deps)));
  expect(sent.reduce((a, b) => a + b, 0)).toBe(2);
  expect(await remindExpiringCertificates(deps)).toBe(0);

  const rows = await reminders();
  expect(rows.map((r) => [r.aggregate_id, r.data.certificateCode, r.data.daysLeft])).toEqual([
    ['cr-lapsed', 'HV', -4],
    ['cr-soon', 'HV', 16],
  ]);
  expect(rows.every((r) => certificateExpiring.safeParse(r.data).success)).toBe(true);
  expect(rows[1]!.data).toMatchObject({
    staffName: 'cr-soon',
    team: 'east',
    stationCode: 'CR-1',
    certificateName: 'High voltage',
    expiresOn: '2026-12-20',
  });
});

it('R-WO-10 a renewed certificate is reminded again when its new expiry comes near', async () => {
  await staff('cr-renew', [{ code: 'HV', name: 'High voltage', expiresOn: '2026-12-31' }]);
  deps.now = () => calendar.fromLocal('2026-12-05T09:00');
  expect(await remindExpiringCertificates(deps)).toBe(1);

  await staff('cr-renew', [{ code: 'HV', name: 'High voltage', expiresOn: '2027-12-31' }]);
  expect(await remindExpiringCertificates(deps)).toBe(0);
  deps.now = () => calendar.fromLocal('2027-12-10T09:00');
  const renewed = (await reminders()).filter((r) => r.aggregate_id === 'cr-renew');
  expect(await remindExpiringCertificates(deps)).toBeGreaterThanOrEqual(1);
  const after = (await reminders()).filter((r) => r.aggregate_id === 'cr-renew');
  expect(renewed.map((r) => r.data.expiresOn)).toEqual(['2026-12-31']);
  expect(after.map((r) => r.data.expiresOn).sort()).toEqual(['2026-12-31', '2027-12-31']);
});
