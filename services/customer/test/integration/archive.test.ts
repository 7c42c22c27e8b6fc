import { type CustomerArchiveHandoverLate, customerArchiveHandoverLate } from '@aftercare/events';
import { type Identity, uuidv7 } from '@aftercare/kit';
import {
  dbQuery,
  publishEnvelope,
  subgraphData,
  subgraphRequest,
  testEnvelope,
} from '@aftercare/testkit';
import { scanOverdueHandovers } from '../../src/app/archive';
import { HANDOVER_RULES } from '../../src/domain/archive';
import { customerForThisFile, customerWithVehicle } from './for-this-file';

// R-CU-3 archive handovers on real PostgreSQL and NATS: sales records the sale, the archive desk
// the receipt; late, incomplete or missing handovers are reported once each.
const s = customerForThisFile('customer-archive');

const sales: Identity = { userId: 'sales-1', roles: ['agent'] };
const clerk: Identity = { userId: 'clerk-1', roles: ['customer_relations'] };
const technician: Identity = { userId: 'tech-1', roles: ['technician'] };

const gql = <T = Record<string, unknown>>(query: string, variables: object, who: Identity) =>
  subgraphData<T>(s.service.httpPort, query, variables, who);

const violations = async (handoverId: string) =>
  (
    await dbQuery<{ payload: { data: unknown } }>(
      s.env.env.DATABASE_URL!,
      "SELECT payload FROM outbox WHERE type = 'customer.archive_handover_late' ORDER BY id",
    )
  )
    .map((r) => customerArchiveHandoverLate.parse(r.payload.data))
    .filter((e: CustomerArchiveHandoverLate) => e.handoverId === handoverId);

const newAsset = () => customerWithVehicle(s, sales, 'Archive Customer', '13500001111');

interface Handover {
  id: string;
  source: string;
  dueAt: string;
  late: boolean | null;
  missingKinds: string[];
  unsignedKinds: string[];
  responsibleStaffId: string | null;
  receivedBy: string | null;
  handedOverBy: string | null;
  violationReportedAt: string | null;
  documents: { kind: string; customerSigned: boolean; handedOverBy: string; receivedBy: string }[];
}

const HANDOVER = `id source dueAt late missingKinds unsignedKinds responsibleStaffId receivedBy handedOverBy violationReportedAt documents { kind customerSigned handedOverBy receivedBy }`;

async function recordSale(assetId: string, soldAt: Date) {
  const { recordAssetSale } = await gql<{ recordAssetSale: { handover: Handover } }>(
    `mutation($input: RecordAssetSaleInput!) { recordAssetSale(input: $input) { handover { ${HANDOVER} } } }`,
    { input: { assetId, soldAt: soldAt.toISOString() } },
    sales,
  );
  return recordAssetSale.handover;
}

const receive = (handoverId: string, documents: object[], who: Identity = clerk) =>
  subgraphRequest<{ receiveArchiveHandover: { handover: Handover } }>(
    s.service.httpPort,
    `mutation($input: ReceiveArchiveHandoverInput!) { receiveArchiveHandover(input: $input) { handover { ${HANDOVER} } } }`,
    { input: { handoverId, handedOverBy: 'sales-1', documents } },
    who,
  );

const complete = (kinds: readonly string[]) =>
  kinds.map((kind) => ({ kind, reference: `${kind}-1`, customerSigned: true }));
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

it('R-CU-3 a complete handover received after the 3-working-day deadline is late: reported once', async () => {
  const { assetId } = await newAsset();
  const handover = await recordSale(assetId, daysAgo(10));
  expect(handover).toMatchObject({ source: 'SALES', responsibleStaffId: 'sales-1', late: null });
  expect(new Date(handover.dueAt).getTime()).toBeLessThan(Date.now());

  const res = await receive(handover.id, complete(HANDOVER_RULES.SALES.required));
  expect(res.errors).toBeUndefined();
  const received = res.data!.receiveArchiveHandover.handover;
  expect(received).toMatchObject({
    late: true,
    missingKinds: [],
    unsignedKinds: [],
    receivedBy: 'clerk-1',
    handedOverBy: 'sales-1',
  });
  expect(received.documents).toHaveLength(HANDOVER_RULES.SALES.required.length);
  expect(received.violationReportedAt).not.toBeNull();

  const again = await receive(handover.id, complete(['OTHER']));
  expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  const events = await violations(handover.id);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    source: 'SALES',
    responsibleStaffId: 'sales-1',
    late: true,
    assetId,
    violatedAt: handover.dueAt,
  });
});

it('R-CU-3 a handover on time but missing documents or customer signatures is incomplete: reported once', async () => {
  const { assetId, customerId } = await newAsset();
  const handover = await recordSale(assetId, new Date());
  const docs = complete(HANDOVER_RULES.SALES.required.filter((k) => k !== 'INSURANCE')).map((d) =>
    d.kind === 'PDI_CHECK' ? { ...d, customerSigned: false } : d,
  );
  const res = await receive(handover.id, docs);
  expect(res.errors).toBeUndefined();
  expect(res.data!.receiveArchiveHandover.handover).toMatchObject({
    late: false,
    missingKinds: ['INSURANCE'],
    unsignedKinds: ['PDI_CHECK'],
  });
  const [event, ...more] = await violations(handover.id);
  expect(more).toHaveLength(0);
  expect(event).toMatchObject({ late: false, missingKinds: ['INSURANCE'], customerId });

  // The handover is on the customer's and the asset's file.
  const { customer } = await gql<{
    customer: {
      archiveHandovers: { nodes: { id: string }[] };
      assets: { nodes: { archiveHandovers: { nodes: { id: string }[] } }[] };
    };
  }>(
    `query($id: ID!) { customer(id: $id) { archiveHandovers { nodes { id } } assets { nodes { archiveHandovers { nodes { id } } } } } }`,
    { id: customerId },
    clerk,
  );
  expect(customer.archiveHandovers.nodes.map((h) => h.id)).toEqual([handover.id]);
  expect(customer.assets.nodes[0]!.archiveHandovers.nodes.map((h) => h.id)).toEqual([handover.id]);
});

it('R-CU-3 a complete, signed handover on time is no violation', async () => {
  const { assetId } = await newAsset();
  const handover = await recordSale(assetId, new Date());
  const res = await receive(handover.id, complete(HANDOVER_RULES.SALES.required));
  expect(res.data!.receiveArchiveHandover.handover).toMatchObject({
    late: false,
    violationReportedAt: null,
  });
  expect(await violations(handover.id)).toHaveLength(0);
});

it('R-CU-3 a deadline passing with nothing handed over is reported once across two concurrent scans, and not again on a late receipt', async () => {
  const { assetId } = await newAsset();
  const handover = await recordSale(assetId, daysAgo(10));
  const [a, b] = await Promise.all([scanOverdueHandovers(s.deps), scanOverdueHandovers(s.deps)]);
  expect(a + b).toBe(1);
  expect(await violations(handover.id)).toHaveLength(1);
  expect(await scanOverdueHandovers(s.deps)).toBe(0);
  const [event] = await violations(handover.id);
  expect(event).toMatchObject({ receivedAt: null, late: true, violatedAt: handover.dueAt });

  const res = await receive(handover.id, complete(HANDOVER_RULES.SALES.required));
  expect(res.data!.receiveArchiveHandover.handover.late).toBe(true);
  expect(await violations(handover.id)).toHaveLength(1);
});

it('R-CU-3 after-sales: a vehicle returned (workorder.completed, TAKE_BACK) owes its file within 1 working day, once per work order', async () => {
  const { assetId, customerId } = await newAsset();
  const workOrderId = uuidv7();
  const completed = (id: string, resolution: 'TAKE_BACK' | 'ON_SITE') => ({
    workOrderId: id,
    number: 'WO-1',
    status: 'COMPLETED',
    customerId,
    assetId,
    serviceType: 'PAID',
    category: 'MECHANICAL',
    region: { province: 'Zhejiang', city: 'Hangzhou', district: null },
    technicianIds: ['tech-7', 'tech-8'],
    leadTechnicianId: 'tech-7',
    calledAt: daysAgo(3).toISOString(),
    stationCode: null,
    completedAt: daysAgo(1).toISOString(),
    resolution,
    partsReplaced: [],
    oldPartsCollected: false,
    oldParts: [],
    responsibility: null,
    repeatOfWorkOrderId: null,
  });
  const takeBack = testEnvelope(
    'workorder.completed',
    workOrderId,
    completed(workOrderId, 'TAKE_BACK'),
  );
  await publishEnvelope(s.env.subjectPrefix, takeBack);
  await publishEnvelope(s.env.subjectPrefix, takeBack, uuidv7());
  await publishEnvelope(
    s.env.subjectPrefix,
    testEnvelope('workorder.completed', workOrderId, completed(workOrderId, 'TAKE_BACK')),
  );
  const onSite = uuidv7();
  await publishEnvelope(
    s.env.subjectPrefix,
    testEnvelope('workorder.completed', onSite, completed(onSite, 'ON_SITE')),
  );

  const rows = async () =>
    dbQuery<{
      id: string;
      work_order_id: string;
      source: string;
      responsible_staff_id: string;
      due_at: Date;
      event_at: Date;
    }>(s.env.env.DATABASE_URL!, 'SELECT * FROM archive_handover WHERE customer_id = $1', [
      customerId,
    ]);
  const deadline = Date.now() + 10_000;
  while ((await rows()).length === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 1000));
  const found = await rows();
  expect(found).toHaveLength(1);
  expect(found[0]).toMatchObject({
    work_order_id: workOrderId,
    source: 'AFTER_SALES',
    responsible_staff_id: 'tech-7',
  });
  expect(new Date(found[0]!.due_at)).toEqual(
    s.service.config.calendar.endOfWorkingDay(
      s.service.config.calendar.nextWorkingDayStart(new Date(found[0]!.event_at)),
    ),
  );
  // Received: the service advisor who handed it over answers for it, no longer the technician.
  const res = await receive(found[0]!.id, complete(HANDOVER_RULES.AFTER_SALES.required));
  expect(res.data!.receiveArchiveHandover.handover).toMatchObject({
    source: 'AFTER_SALES',
    responsibleStaffId: 'sales-1',
    missingKinds: [],
  });
});

it('R-CU-3 roles and bad input: refused with a typed error, nothing changes', async () => {
  const { assetId } = await newAsset();
  const denied = await subgraphRequest(
    s.service.httpPort,
    `mutation($input: RecordAssetSaleInput!) { recordAssetSale(input: $input) { handover { id } } }`,
    { input: { assetId } },
    technician,
  );
  expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const handover = await recordSale(assetId, new Date());
  const twice = await subgraphRequest(
    s.service.httpPort,
    `mutation($input: RecordAssetSaleInput!) { recordAssetSale(input: $input) { handover { id } } }`,
    { input: { assetId } },
    sales,
  );
  expect(twice.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  const technicianReceipt = await receive(handover.id, complete(['SETTLEMENT']), technician);
  expect(technicianReceipt.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const empty = await receive(handover.id, []);
  expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  const unread = await subgraphRequest(
    s.service.httpPort,
    `query($id: ID!) { archiveHandover(id: $id) { id } }`,
    { id: handover.id },
    technician,
  );
  expect(unread.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const { archiveHandover } = await gql<{
    archiveHandover: { late: boolean | null; documents: unknown[] };
  }>(
    `query($id: ID!) { archiveHandover(id: $id) { late documents { kind } } }`,
    { id: handover.id },
    clerk,
  );
  expect(archiveHandover).toEqual({ late: null, documents: [] });
});
