import {
  type ComplaintRegistered,
  customerArchiveDestroyed,
  type SurveyFollowUpCalled,
  type WorkOrderCompleted,
  type WorkOrderRegistered,
} from '@aftercare/events';
import { type Identity, uuidv7 } from '@aftercare/kit';
import {
  dbQuery,
  eventually,
  publishEnvelope,
  subgraphData,
  subgraphRequest,
  testEnvelope,
} from '@aftercare/testkit';
import { recordAssetReading, transferAsset } from '../../src/app/asset-lifecycle';
import { registerAsset } from '../../src/app/assets';
import { logContact } from '../../src/app/contact-log';
import { createCustomer, updateCustomer } from '../../src/app/customers';
import { receiveHandover, recordSale } from '../../src/app/archive';
import {
  approveArchiveLoan,
  lendArchiveLoan,
  requestArchiveLoan,
  returnArchiveLoan,
} from '../../src/app/archive-loans';
import { customerForThisFile } from './for-this-file';

// R-CU-4 retention and approved destruction on real PostgreSQL: the files are written with a
// back-dated clock (the use cases' `now`), then listed, requested, approved or refused through the
// subgraph as of today, and what a destruction leaves is read from the database directly.
const s = customerForThisFile('customer-retention');

const agent: Identity = { userId: 'agent-1', roles: ['agent'] };
const keeper: Identity = { userId: 'keeper-1', roles: ['customer_relations'] };
const manager: Identity = { userId: 'manager-2', roles: ['manager'] };
const otherManager: Identity = { userId: 'manager-3', roles: ['manager'] };
const keeperManager: Identity = { userId: 'keeper-1', roles: ['manager'] };
const auditor: Identity = { userId: 'auditor-1', roles: ['auditor'] };
const technician: Identity = { userId: 'tech-1', roles: ['technician'] };

/** The use cases' dependencies with the clock at `iso`. */
const at = (iso: string) => ({ ...s.deps, now: () => new Date(iso) });
const db = <T extends object>(sql: string, params: unknown[] = []) =>
  dbQuery<T>(s.env.env.DATABASE_URL!, sql, params);
const gql = <T = Record<string, unknown>>(query: string, variables: object, who: Identity) =>
  subgraphData<T>(s.service.httpPort, query, variables, who);
const attempt = (query: string, variables: object, who: Identity) =>
  subgraphRequest(s.service.httpPort, query, variables, who);
const refusal = (r: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  `${String(r.errors?.[0]?.extensions?.code)} ${String(r.errors?.[0]?.extensions?.reason)}`;

let serial = 0;
/** A customer file created on `createdAt`, with distinctive content to look for after destruction. */
async function fileCreatedAt(createdAt: string) {
  serial += 1;
  const name = `Retention Testperson ${serial} ${Date.now()}`;
  const mobile = `139${String(Date.now() % 1e8).padStart(8, '0')}`;
  const customer = await createCustomer(at(createdAt), agent, {
    kind: 'PERSON',
    name,
    tags: [`tag-${name}`],
    contacts: [{ name, mobile, primary: true }],
    addresses: [
      {
        region: { province: 'Zhejiang', city: 'Hangzhou', district: 'Xihu' },
        line: `Line of ${name}`,
        primary: true,
      },
    ],
  });
  return { id: customer.id, code: customer.code, name, mobile };
}

const lastActivity = async (id: string) =>
  (await db<{ at: Date }>('SELECT last_activity_at AS at FROM customer WHERE id = $1', [id]))[0]!
    .at;

const REQUEST = `mutation($input: RequestArchiveDestructionInput!) {
  requestArchiveDestruction(input: $input) { destruction { id status retentionEndsOn lastActivityAt } } }`;
const APPROVE = `mutation($id: ID!) { approveArchiveDestruction(input: { destructionId: $id }) {
  destruction { id status decidedBy customerCode destroyedRecords { kind count } } } }`;
const REJECT = `mutation($id: ID!, $reason: String!) {
  rejectArchiveDestruction(input: { destructionId: $id, reason: $reason }) { destruction { status rejectionReason } } }`;

async function requestDestruction(customerId: string, who: Identity = keeper) {
  const data = await gql<{ requestArchiveDestruction: { destruction: { id: string } } }>(
    REQUEST,
    { input: { customerId, reason: 'retention over, no open business' } },
    who,
  );
  return data.requestArchiveDestruction.destruction.id;
}

const pastRetention = async (asOf: string | null, first = 100, after: string | null = null) =>
  (
    await gql<{
      customerFilesPastRetention: {
        nodes: { id: string; lastActivityAt: string; retentionEndsOn: string }[];
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
      };
    }>(
      `query($asOf: Date, $first: Int, $after: String) {
        customerFilesPastRetention(asOf: $asOf, first: $first, after: $after) {
          nodes { id lastActivityAt retentionEndsOn } pageInfo { endCursor hasNextPage } } }`,
      { asOf, first, after },
      keeper,
    )
  ).customerFilesPastRetention;

describe('R-CU-4 the retention clock', () => {
  it('R-CU-4 last activity follows every record added to the file, never backwards', async () => {
    const file = await fileCreatedAt('2012-01-10T04:00:00Z');
    expect(await lastActivity(file.id)).toEqual(new Date('2012-01-10T04:00:00Z'));

    await logContact(at('2013-05-01T04:00:00Z'), agent, {
      customerId: file.id,
      channel: 'PHONE',
      direction: 'INBOUND',
      purpose: 'CONSULTATION',
      summary: 'asked about the service plan',
    });
    expect(await lastActivity(file.id)).toEqual(new Date('2013-05-01T04:00:00Z'));

    const asset = await registerAsset(at('2014-02-01T04:00:00Z'), agent, {
      customerId: file.id,
      kind: 'EQUIPMENT',
      model: 'Compressor X',
      serialNumber: `SN-CLOCK-${Date.now()}`,
    });
    expect(await lastActivity(file.id)).toEqual(new Date('2014-02-01T04:00:00Z'));

    await recordAssetReading(at('2014-06-01T04:00:00Z'), agent, {
      assetId: asset.id,
      runningHours: 120,
    });
    expect(await lastActivity(file.id)).toEqual(new Date('2014-06-01T04:00:00Z'));

    // An older record does not move the clock back.
    await logContact(at('2013-01-01T04:00:00Z'), agent, {
      customerId: file.id,
      channel: 'LETTER',
      direction: 'OUTBOUND',
      purpose: 'NOTICE',
      summary: 'a late-filed letter',
      occurredAt: new Date('2012-12-01T04:00:00Z'),
    });
    expect(await lastActivity(file.id)).toEqual(new Date('2014-06-01T04:00:00Z'));

    await updateCustomer(at('2015-01-01T04:00:00Z'), agent, {
      id: file.id,
      grade: 'B',
      reason: 'yearly grading',
    });
    expect(await lastActivity(file.id)).toEqual(new Date('2015-01-01T04:00:00Z'));

    // A transfer is activity on both files; the sale and receipt of a handover too.
    const buyer = await fileCreatedAt('2012-01-10T04:00:00Z');
    await transferAsset(at('2015-03-01T04:00:00Z'), agent, {
      assetId: asset.id,
      newCustomerId: buyer.id,
      reason: 'sold to a neighbour',
    });
    expect(await lastActivity(file.id)).toEqual(new Date('2015-03-01T04:00:00Z'));
    expect(await lastActivity(buyer.id)).toEqual(new Date('2015-03-01T04:00:00Z'));
    const handover = await recordSale(at('2015-04-01T04:00:00Z'), agent, {
      assetId: asset.id,
      soldAt: new Date('2015-04-01T03:00:00Z'),
    });
    expect(await lastActivity(buyer.id)).toEqual(new Date('2015-04-01T04:00:00Z'));
    await receiveHandover(at('2015-04-02T04:00:00Z'), keeper, {
      handoverId: handover.id,
      handedOverBy: 'advisor-1',
      receivedAt: new Date('2015-04-02T04:00:00Z'),
      documents: [{ kind: 'INVOICE_COPY', reference: 'INV-1', customerSigned: true }],
    });
    expect(await lastActivity(buyer.id)).toEqual(new Date('2015-04-02T04:00:00Z'));

    const { customer } = await gql<{
      customer: { lastActivityAt: string; retentionEndsOn: string };
    }>(
      `query($id: ID!) { customer(id: $id) { lastActivityAt retentionEndsOn } }`,
      { id: buyer.id },
      agent,
    );
    expect(customer).toEqual({
      lastActivityAt: '2015-04-02T04:00:00.000Z',
      retentionEndsOn: '2025-04-02',
    });
  });

  it('R-CU-4 files past retention are listed oldest activity first, as of a day, paged', async () => {
    const oldest = await fileCreatedAt('2013-03-01T04:00:00Z');
    const older = await fileCreatedAt('2015-07-01T04:00:00Z');
    const recent = await fileCreatedAt('2020-01-01T04:00:00Z');
    const ours = (ids: { id: string }[]) =>
      ids.map((n) => n.id).filter((id) => [oldest.id, older.id, recent.id].includes(id));

    const today = await pastRetention(null);
    expect(ours(today.nodes)).toEqual([oldest.id, older.id]);
    expect(today.nodes.find((n) => n.id === oldest.id)).toEqual({
      id: oldest.id,
      lastActivityAt: '2013-03-01T04:00:00.000Z',
      retentionEndsOn: '2023-03-01',
    });
    // Retention ends on the anniversary of the last activity's business day.
    expect(ours((await pastRetention('2023-03-01')).nodes)).toEqual([oldest.id]);
    expect(ours((await pastRetention('2023-02-28')).nodes)).toEqual([]);

    const all: string[] = [];
    let after: string | null = null;
    do {
      const page = await pastRetention(null, 1, after);
      all.push(...page.nodes.map((n) => n.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(all).toEqual(today.nodes.map((n) => n.id));

    const bad = await attempt(
      `query { customerFilesPastRetention(asOf: "2026-02-30") { totalCount } }`,
      {},
      keeper,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('R-CU-4 only the archive keeper, managers and auditors see the list and the destructions', async () => {
    for (const who of [agent, technician]) {
      const denied = await attempt(`query { customerFilesPastRetention { totalCount } }`, {}, who);
      expect(refusal(denied)).toBe('FORBIDDEN FORBIDDEN');
      const destructions = await attempt(`query { archiveDestructions { totalCount } }`, {}, who);
      expect(refusal(destructions)).toBe('FORBIDDEN FORBIDDEN');
    }
    const seen = await attempt(`query { customerFilesPastRetention { totalCount } }`, {}, auditor);
    expect(seen.errors).toBeUndefined();
  });
});

const TABLES_WITHOUT_CONTENT = [
  // Kit tables: published events expire from the outbox (OUTBOX retention) long before a file's
  // 10 years are over; here the files were only back-dated, their events were written today.
  'outbox',
  'inbox',
  'dead_letter',
  'mikro_orm_migrations',
  'idempotency_key',
];

/** Tables of the service's schema holding any of `needles` anywhere in a row. */
async function tablesHolding(needles: string[]): Promise<string[]> {
  const tables = await db<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const found: string[] = [];
  for (const { table_name: table } of tables) {
    if (TABLES_WITHOUT_CONTENT.includes(table)) continue;
    const [row] = await db<{ n: string }>(
      `SELECT count(*) AS n FROM "${table}" t WHERE t::text ILIKE ANY ($1)`,
      [needles.map((n) => `%${n}%`)],
    );
    if (Number(row!.n) > 0) found.push(table);
  }
  return found;
}

describe('R-CU-4 destruction after approval', () => {
  it('R-CU-4 an approved destruction wipes the content from every table and keeps the record', async () => {
    const file = await fileCreatedAt('2013-06-01T04:00:00Z');
    const vin = `LSV${String(Date.now()).slice(-8)}AB1234`.slice(0, 17);
    const asset = await registerAsset(at('2013-06-02T04:00:00Z'), agent, {
      customerId: file.id,
      kind: 'VEHICLE',
      model: 'Sedan',
      vin,
      plateNumber: `浙A${String(serial).padStart(5, '7')}`,
      contract: {
        number: `CT-SECRET-${serial}`,
        kind: 'care',
        startDate: '2013-06-02',
        endDate: '2014-06-01',
      },
    });
    await recordAssetReading(at('2013-07-01T04:00:00Z'), agent, {
      assetId: asset.id,
      mileageKm: 1500,
      reason: `reading told by ${file.name}`,
    });
    await logContact(at('2013-08-01T04:00:00Z'), agent, {
      customerId: file.id,
      channel: 'PHONE',
      direction: 'INBOUND',
      purpose: 'COMPLAINT',
      summary: `${file.name} complained about the noise`,
      customerRequest: `call ${file.mobile} back`,
    });
    await updateCustomer(at('2014-05-01T04:00:00Z'), agent, {
      id: file.id,
      contacts: [{ name: file.name, mobile: file.mobile, phone: '0571-88886666', primary: true }],
      reason: `${file.name} gave a landline`,
    });
    const handover = await recordSale(at('2014-05-02T04:00:00Z'), agent, {
      assetId: asset.id,
      soldAt: new Date('2014-05-02T03:00:00Z'),
    });
    await receiveHandover(at('2014-05-03T04:00:00Z'), keeper, {
      handoverId: handover.id,
      handedOverBy: 'advisor-1',
      receivedAt: new Date('2014-05-03T04:00:00Z'),
      documents: [{ kind: 'ID_COPY', reference: `ID of ${file.name}`, customerSigned: true }],
    });
    const needles = [file.name, file.mobile, '88886666', vin, `CT-SECRET-${serial}`];
    expect((await tablesHolding(needles)).sort()).toEqual(
      [
        'archive_document',
        'asset',
        'asset_change',
        'contact_log',
        'customer',
        'customer_change',
      ].sort(),
    );

    const id = await requestDestruction(file.id);
    // Nobody approves their own request, whatever their roles.
    expect(refusal(await attempt(APPROVE, { id }, keeperManager))).toBe(
      'CONFLICT APPROVER_IS_REQUESTER',
    );
    expect(refusal(await attempt(APPROVE, { id }, keeper))).toBe('FORBIDDEN FORBIDDEN');
    const approved = await gql<{
      approveArchiveDestruction: { destruction: Record<string, unknown> };
    }>(APPROVE, { id }, manager);
    expect(approved.approveArchiveDestruction.destruction).toEqual({
      id,
      status: 'DESTROYED',
      decidedBy: 'manager-2',
      customerCode: file.code,
      destroyedRecords: [
        { kind: 'CUSTOMER', count: 1 },
        { kind: 'CUSTOMER_CHANGE', count: 1 },
        { kind: 'ASSET', count: 1 },
        { kind: 'ASSET_CHANGE', count: 1 },
        { kind: 'CONTACT_LOG', count: 1 },
        { kind: 'ARCHIVE_DOCUMENT', count: 1 },
      ],
    });

    expect(await tablesHolding(needles)).toEqual([]);
    const [record] = await db<Record<string, unknown>>(
      `SELECT customer_code, status, requested_by, decided_by, reason, retention_ends_on::text,
              last_activity_at FROM archive_destruction WHERE id = $1`,
      [id],
    );
    expect(record).toEqual({
      customer_code: file.code,
      status: 'DESTROYED',
      requested_by: 'keeper-1',
      decided_by: 'manager-2',
      reason: 'retention over, no open business',
      retention_ends_on: '2024-05-03',
      last_activity_at: new Date('2014-05-03T04:00:00Z'),
    });
    // The handover's facts (who, when, late or not) stay: they name no one outside the staff.
    expect(await db('SELECT 1 FROM archive_handover WHERE id = $1', [handover.id])).toHaveLength(1);

    // The event: ids and code, nothing else.
    const events = await db<{ payload: { data: unknown } }>(
      "SELECT payload FROM outbox WHERE type = 'customer.archive_destroyed'",
    );
    const mine = events
      .map((e) => customerArchiveDestroyed.parse(e.payload.data))
      .filter((e) => e.customerId === file.id);
    expect(mine).toHaveLength(1);
    expect(
      Object.keys(
        events.find((e) => JSON.stringify(e).includes(file.id))!.payload.data as object,
      ).sort(),
    ).toEqual(['code', 'customerId', 'destroyedAt', 'destructionId']);

    // A repeat by the same manager answers the record; nothing happens twice.
    const again = await gql<{ approveArchiveDestruction: { destruction: { status: string } } }>(
      APPROVE,
      { id },
      manager,
    );
    expect(again.approveArchiveDestruction.destruction.status).toBe('DESTROYED');
    expect(
      await db(
        "SELECT 1 FROM outbox WHERE type = 'customer.archive_destroyed' AND payload::text LIKE $1",
        [`%${file.id}%`],
      ),
    ).toHaveLength(1);
    expect(refusal(await attempt(APPROVE, { id }, otherManager))).toBe('CONFLICT ALREADY_DECIDED');
    expect(refusal(await attempt(REJECT, { id, reason: 'too late' }, manager))).toBe(
      'CONFLICT ALREADY_DECIDED',
    );
  });

  it('R-CU-4 a destroyed file reads as a tombstone and refuses every change', async () => {
    const file = await fileCreatedAt('2013-06-01T04:00:00Z');
    const asset = await registerAsset(at('2013-06-02T04:00:00Z'), agent, {
      customerId: file.id,
      kind: 'EQUIPMENT',
      model: 'Pump',
      serialNumber: `SN-TOMB-${Date.now()}`,
    });
    const id = await requestDestruction(file.id);
    await gql(APPROVE, { id }, manager);

    const read = await gql<{ customer: Record<string, unknown> }>(
      `query($id: ID!) { customer(id: $id) { code status name contacts { name } addresses { line } tags region { city }
         archiveDestructions { nodes { status requestedBy decidedBy } } } }`,
      { id: file.id },
      auditor,
    );
    expect(read.customer).toEqual({
      code: file.code,
      status: 'DESTROYED',
      name: '',
      contacts: [],
      addresses: [],
      tags: [],
      region: null,
      archiveDestructions: {
        nodes: [{ status: 'DESTROYED', requestedBy: 'keeper-1', decidedBy: 'manager-2' }],
      },
    });
    const assetRead = await gql<{ asset: { serialNumber: string | null; model: string } }>(
      `query($id: ID!) { asset(id: $id) { serialNumber model } }`,
      { id: asset.id },
      agent,
    );
    expect(assetRead.asset).toEqual({ serialNumber: null, model: 'Pump' });

    const writes: [string, object][] = [
      [
        `mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customer { id } } }`,
        { input: { id: file.id, grade: 'A', reason: 'regraded' } },
      ],
      [
        `mutation($input: LogContactInput!) { logContact(input: $input) { entry { id } } }`,
        {
          input: {
            customerId: file.id,
            channel: 'PHONE',
            direction: 'OUTBOUND',
            purpose: 'FOLLOW_UP',
            summary: 'calling back',
          },
        },
      ],
      [
        `mutation($input: RegisterAssetInput!) { registerAsset(input: $input) { asset { id } } }`,
        { input: { customerId: file.id, kind: 'OTHER', model: 'Thing', serialNumber: 'SN-NEW-1' } },
      ],
      [
        `mutation($input: RecordAssetReadingInput!) { recordAssetReading(input: $input) { asset { id } } }`,
        { input: { assetId: asset.id, runningHours: 10 } },
      ],
      [REQUEST, { input: { customerId: file.id, reason: 'again' } }],
    ];
    const before = await db('SELECT * FROM customer WHERE id = $1', [file.id]);
    for (const [query, variables] of writes)
      expect([query, refusal(await attempt(query, variables, manager))]).toEqual([
        query,
        'CONFLICT FILE_DESTROYED',
      ]);
    expect(await db('SELECT * FROM customer WHERE id = $1', [file.id])).toEqual(before);
    // The database refuses a record that would slip past the use cases (a write racing the approval).
    await expect(
      db(
        `INSERT INTO contact_log (id, customer_id, channel, direction, purpose, summary, staff_id, occurred_at, created_at)
         VALUES (gen_random_uuid(), $1, 'PHONE', 'INBOUND', 'CONSULTATION', 'x', 's', now(), now())`,
        [file.id],
      ),
    ).rejects.toThrow(/destroyed/);
  });

  it('R-CU-4 events about a destroyed file are skipped: inbox recorded, nothing written, nothing retried or parked; no entitlement', async () => {
    const file = await fileCreatedAt('2013-06-01T04:00:00Z');
    const asset = await registerAsset(at('2013-06-02T04:00:00Z'), agent, {
      customerId: file.id,
      kind: 'EQUIPMENT',
      model: 'Pump',
      serialNumber: `SN-GONE-${Date.now()}`,
      warrantyStart: '2013-06-02',
      warrantyEnd: '2015-06-01',
    });
    await gql(APPROVE, { id: await requestDestruction(file.id) }, manager);
    expect(
      refusal(
        await attempt(
          `query($id: ID!) { serviceEntitlement(assetId: $id) { kind } }`,
          { id: asset.id },
          agent,
        ),
      ),
    ).toBe('CONFLICT FILE_DESTROYED');
    expect(
      refusal(
        await attempt(
          `query($id: ID!) { asset(id: $id) { model entitlement { kind } } }`,
          { id: asset.id },
          agent,
        ),
      ),
    ).toBe('CONFLICT FILE_DESTROYED');

    const workOrderId = uuidv7();
    const order = {
      workOrderId,
      number: 'WO-20261204-0001',
      customerId: file.id,
      assetId: asset.id,
      serviceType: 'PAID' as const,
      category: 'MECHANICAL',
      region: { province: 'Zhejiang', city: 'Hangzhou', district: null },
      technicianIds: ['tech-7'],
      leadTechnicianId: 'tech-7',
      calledAt: '2026-12-04T01:00:00.000Z',
      stationCode: null,
    };
    const registered: WorkOrderRegistered = {
      ...order,
      status: 'REGISTERED',
      channel: 'PHONE',
      answerDueAt: null,
      arrivalDueAt: null,
      onSiteDueAt: null,
      registeredBy: 'agent-7',
    };
    const completed: WorkOrderCompleted = {
      ...order,
      status: 'RESOLVED_ON_SITE',
      completedAt: '2026-12-04T06:00:00.000Z',
      resolution: 'TAKE_BACK',
      partsReplaced: [],
      oldPartsCollected: false,
      oldParts: [],
      responsibility: 'PRODUCT',
      repeatOfWorkOrderId: null,
      assetWork: {
        mileageKm: null,
        runningHours: 1200,
        maintenanceDone: true,
        commissioned: false,
        unitSwaps: [],
      },
    };
    const complaint: ComplaintRegistered = {
      complaintId: uuidv7(),
      number: 'CP-GONE',
      customerId: file.id,
      workOrderId,
      category: 'SERVICE_ATTITUDE',
      channel: 'CALL_CENTRE',
      majorReasons: [],
      repeatOfComplaintId: null,
      aboutStaffIds: [],
      receivedAt: '2026-12-04T02:00:00.000Z',
      recordedBy: 'cr-2',
    };
    const call: SurveyFollowUpCalled = {
      followUpId: uuidv7(),
      callId: uuidv7(),
      workOrderId,
      customerId: file.id,
      sequence: 1,
      outcome: 'REACHED',
      followedUp: true,
      agentId: 'agent-3',
      calledAt: '2026-12-04T07:00:00.000Z',
      workOrderNumber: order.number,
      summary: 'runs well',
      complaint: null,
    };
    const sent = [
      [
        'customer-on-workorder-registered',
        testEnvelope('workorder.registered', workOrderId, registered),
      ],
      [
        'customer-on-workorder-completed',
        testEnvelope('workorder.completed', workOrderId, completed),
      ],
      [
        'customer-on-complaint-registered',
        testEnvelope('complaint.registered', complaint.complaintId, complaint),
      ],
      [
        'customer-on-survey-follow-up-called',
        testEnvelope('survey.follow_up_called', call.followUpId, call),
      ],
    ] as const;
    const written = () =>
      db<{ n: string }>(
        `SELECT (SELECT count(*) FROM contact_log WHERE customer_id = $1)
              + (SELECT count(*) FROM archive_handover WHERE customer_id = $1)
              + (SELECT count(*) FROM asset_change WHERE asset_id = $2)
              -- R-CU-6: the registered order is no first visit of a destroyed file.
              + (SELECT count(*) FROM customer_file_check
                  WHERE customer_id = $1 AND first_visit_at IS NOT NULL) AS n`,
        [file.id, asset.id],
      );
    const before = await written();
    for (const [, envelope] of sent) await publishEnvelope(s.env.subjectPrefix, envelope);

    const inbox = () =>
      db<{ consumer: string; event_id: string }>(
        'SELECT consumer, event_id FROM inbox WHERE event_id = ANY($1::uuid[]) ORDER BY consumer',
        [sent.map(([, e]) => e.id)],
      );
    const recorded = await eventually(inbox, (rows) => rows.length === sent.length, 30_000);
    expect(recorded).toEqual(
      sent
        .map(([consumer, e]) => ({ consumer, event_id: e.id }))
        .sort((a, b) => a.consumer.localeCompare(b.consumer)),
    );
    expect(await written()).toEqual(before);
    // Handled on the first delivery: a failed one is retried (and parked in the end).
    const metrics = await (await fetch(`http://127.0.0.1:${s.service.adminPort}/metrics`)).text();
    for (const [consumer] of sent)
      expect([
        consumer,
        metrics.match(
          new RegExp(
            `^event_consumer_(retries|parked)_total\\{[^}]*messaging_consumer_group_name="${consumer}"[^}]*\\} [1-9]`,
            'm',
          ),
        )?.[0] ?? null,
      ]).toEqual([consumer, null]);
  }, 60_000);

  it('R-CU-4 a paper file out on loan, or promised to a borrower, is not destroyed until it is back', async () => {
    const file = await fileCreatedAt('2012-03-01T04:00:00Z');
    const id = await requestDestruction(file.id);
    const dueOn = s.deps.calendar.localDate(new Date(Date.now() + 3 * 86_400_000));
    const loan = await requestArchiveLoan(s.deps, agent, {
      customerId: file.id,
      purpose: 'dispute over an old repair',
      dueOn,
    });
    await approveArchiveLoan(s.deps, keeper, { loanId: loan.id });
    expect(refusal(await attempt(APPROVE, { id }, manager))).toBe('CONFLICT FILE_ON_LOAN');
    await lendArchiveLoan(s.deps, keeper, { loanId: loan.id });
    expect(refusal(await attempt(APPROVE, { id }, manager))).toBe('CONFLICT FILE_ON_LOAN');
    const [kept] = await db<{ name: string; status: string }>(
      'SELECT name, status FROM customer WHERE id = $1',
      [file.id],
    );
    expect(kept).toEqual({ name: file.name, status: 'ACTIVE' });

    // Borrowing is not activity: once the file is back, the request still stands and is approved.
    await returnArchiveLoan(s.deps, keeper, { loanId: loan.id, condition: 'INTACT' });
    const approved = await gql<{ approveArchiveDestruction: { destruction: { status: string } } }>(
      APPROVE,
      { id },
      manager,
    );
    expect(approved.approveArchiveDestruction.destruction.status).toBe('DESTROYED');
  });

  it('R-CU-4 refused before retention ends, twice, after new activity, and rejected with a reason; nothing written', async () => {
    const recent = await fileCreatedAt('2020-01-01T04:00:00Z');
    const count = async () =>
      Number((await db<{ n: string }>('SELECT count(*) AS n FROM archive_destruction'))[0]!.n);
    const before = await count();
    expect(
      refusal(
        await attempt(REQUEST, { input: { customerId: recent.id, reason: 'tidy up' } }, keeper),
      ),
    ).toBe('CONFLICT NOT_PAST_RETENTION');
    expect(
      refusal(await attempt(REQUEST, { input: { customerId: recent.id, reason: ' ' } }, keeper)),
    ).toBe('BAD_USER_INPUT REQUIRED');
    expect(
      refusal(await attempt(REQUEST, { input: { customerId: recent.id, reason: 'x' } }, agent)),
    ).toBe('FORBIDDEN FORBIDDEN');
    expect(
      refusal(await attempt(REQUEST, { input: { customerId: 'nope', reason: 'x' } }, keeper)),
    ).toBe('BAD_USER_INPUT INVALID_ID');
    expect(await count()).toBe(before);

    const file = await fileCreatedAt('2013-06-01T04:00:00Z');
    // Idempotent: a retry with the key answers the first request.
    const keyed = { customerId: file.id, reason: 'retention over', idempotencyKey: `k-${file.id}` };
    const first = await gql<{ requestArchiveDestruction: { destruction: { id: string } } }>(
      REQUEST,
      { input: keyed },
      keeper,
    );
    const retried = await gql<{ requestArchiveDestruction: { destruction: { id: string } } }>(
      REQUEST,
      { input: keyed },
      keeper,
    );
    const id = first.requestArchiveDestruction.destruction.id;
    expect(retried.requestArchiveDestruction.destruction.id).toBe(id);
    expect(
      refusal(await attempt(REQUEST, { input: { customerId: file.id, reason: 'again' } }, manager)),
    ).toBe('CONFLICT DESTRUCTION_ALREADY_REQUESTED');

    // The customer calls again: the file is active, the approval refused, nothing destroyed.
    await logContact(s.deps, agent, {
      customerId: file.id,
      channel: 'PHONE',
      direction: 'INBOUND',
      purpose: 'CONSULTATION',
      summary: 'back after years',
    });
    expect(refusal(await attempt(APPROVE, { id }, manager))).toBe(
      'CONFLICT ACTIVITY_SINCE_REQUEST',
    );
    const [kept] = await db<{ name: string; status: string }>(
      'SELECT name, status FROM customer WHERE id = $1',
      [file.id],
    );
    expect(kept).toEqual({ name: file.name, status: 'ACTIVE' });

    expect(refusal(await attempt(REJECT, { id, reason: '' }, manager))).toBe(
      'BAD_USER_INPUT REQUIRED',
    );
    expect(refusal(await attempt(REJECT, { id, reason: 'x' }, keeper))).toBe('FORBIDDEN FORBIDDEN');
    const rejected = await gql<{ rejectArchiveDestruction: { destruction: unknown } }>(
      REJECT,
      { id, reason: 'the customer is back' },
      manager,
    );
    expect(rejected.rejectArchiveDestruction.destruction).toEqual({
      status: 'REJECTED',
      rejectionReason: 'the customer is back',
    });
    const unknown = await attempt(APPROVE, { id: '0190a0a0-0000-7000-8000-000000000000' }, manager);
    expect(refusal(unknown)).toBe('NOT_FOUND ARCHIVE_DESTRUCTION_NOT_FOUND');
  });
});
