import {
  type CustomerArchiveHandoverLate,
  customerArchiveHandoverLate,
  type CustomerFileLate,
  customerFileLate,
} from '@aftercare/events';
import { uuidv7 } from '@aftercare/kit';
import { dbQuery, eventually, publishEnvelope, testEnvelope } from '@aftercare/testkit';
import { servicesForThisFile, upsertStaff } from './setup';

// R-CU-3 / R-CU-6 → R-PN-1 on real PostgreSQL and NATS: a late or incomplete archive handover, or a
// new customer's file incomplete past its deadline, costs the responsible advisor one proposed
// penalty per handover or customer, however often the event arrives.
const s = servicesForThisFile('cp-archive');

interface Line {
  staff_id: string;
  rule_code: string;
  source: string;
  amount_fen: string;
  nth_violation: number;
  reference: string | null;
  status: string;
}
const linesOf = (staffId: string) =>
  dbQuery<Line>(
    s.complaintEnv.env.DATABASE_URL!,
    'SELECT * FROM penalty WHERE staff_id = $1 ORDER BY occurred_at, id',
    [staffId],
  );

const violation = (staffId: string, violatedAt: Date): CustomerArchiveHandoverLate => ({
  handoverId: uuidv7(),
  customerId: uuidv7(),
  assetId: uuidv7(),
  workOrderId: null,
  source: 'SALES',
  responsibleStaffId: staffId,
  dueAt: violatedAt.toISOString(),
  receivedAt: null,
  late: true,
  missingKinds: [],
  unsignedKinds: [],
  violatedAt: violatedAt.toISOString(),
});

it('R-PN-1 customer.archive_handover_late: one ARCHIVE_HANDOVER_LATE proposal per handover, redelivered or re-published; a sales advisor pays double from the 2nd', async () => {
  const advisor = `sales-${uuidv7()}`;
  await upsertStaff(s, { id: advisor, name: 'Sales Advisor', position: 'sales_advisor' });
  const first = violation(advisor, new Date(Date.now() - 120_000));
  const second = violation(advisor, new Date(Date.now() - 60_000));
  expect(customerArchiveHandoverLate.safeParse(first).success).toBe(true);

  const e1 = testEnvelope('customer.archive_handover_late', first.handoverId, first);
  await publishEnvelope(s.subjectPrefix, e1);
  // Redelivered (same event id, new message id) and re-published (new event id, same handover).
  await publishEnvelope(s.subjectPrefix, e1, uuidv7());
  await publishEnvelope(
    s.subjectPrefix,
    testEnvelope('customer.archive_handover_late', first.handoverId, first),
  );
  await publishEnvelope(
    s.subjectPrefix,
    testEnvelope('customer.archive_handover_late', second.handoverId, second),
  );

  const lines = await eventually(
    () => linesOf(advisor),
    (ls) => ls.length >= 2,
  );
  await new Promise((r) => setTimeout(r, 1000));
  expect(await linesOf(advisor)).toHaveLength(2);
  expect(
    lines.map((l) => [l.rule_code, l.source, Number(l.amount_fen), l.reference, l.status]),
  ).toEqual([
    ['ARCHIVE_HANDOVER_LATE', 'ARCHIVE_HANDOVER', -5000, first.handoverId, 'PROPOSED'],
    // Seed: a sales advisor's 2nd archive violation of the month is fined double.
    ['ARCHIVE_HANDOVER_LATE', 'ARCHIVE_HANDOVER', -10000, second.handoverId, 'PROPOSED'],
  ]);
});

it('a violation nobody is responsible for proposes nothing and does not block the consumer', async () => {
  const orphan = { ...violation('x', new Date()), responsibleStaffId: null };
  const advisor = `service-${uuidv7()}`;
  const next = violation(advisor, new Date());
  await publishEnvelope(
    s.subjectPrefix,
    testEnvelope('customer.archive_handover_late', orphan.handoverId, orphan),
  );
  await publishEnvelope(
    s.subjectPrefix,
    testEnvelope('customer.archive_handover_late', next.handoverId, next),
  );
  const lines = await eventually(
    () => linesOf(advisor),
    (ls) => ls.length >= 1,
  );
  expect(lines.map((l) => l.rule_code)).toEqual(['ARCHIVE_HANDOVER_LATE']);
  const none = await dbQuery<{ n: string }>(
    s.complaintEnv.env.DATABASE_URL!,
    'SELECT count(*) AS n FROM penalty WHERE reference = $1',
    [orphan.handoverId],
  );
  expect(Number(none[0]!.n)).toBe(0);
});

it('R-CU-6 customer.file_late: one ARCHIVE_HANDOVER_LATE proposal per customer on the responsible advisor, however often told', async () => {
  const advisor = `service-${uuidv7()}`;
  await upsertStaff(s, { id: advisor, name: 'Service Advisor', position: 'service_advisor' });
  const dueAt = new Date(Date.now() - 60_000);
  const late: CustomerFileLate = {
    customerId: uuidv7(),
    workOrderId: uuidv7(),
    responsibleStaffId: advisor,
    firstVisitAt: new Date(dueAt.getTime() - 2 * 86_400_000).toISOString(),
    dueAt: dueAt.toISOString(),
    missingItems: ['ID_COPY'],
    detectedAt: new Date().toISOString(),
  };
  expect(customerFileLate.safeParse(late).success).toBe(true);
  const envelope = testEnvelope('customer.file_late', late.customerId, late);
  await publishEnvelope(s.subjectPrefix, envelope);
  await publishEnvelope(s.subjectPrefix, envelope, uuidv7());
  await publishEnvelope(s.subjectPrefix, testEnvelope('customer.file_late', late.customerId, late));
  const lines = await eventually(
    () => linesOf(advisor),
    (ls) => ls.length >= 1,
  );
  await new Promise((r) => setTimeout(r, 1000));
  expect(await linesOf(advisor)).toHaveLength(1);
  expect(
    lines.map((l) => [l.rule_code, l.source, Number(l.amount_fen), l.reference, l.status]),
  ).toEqual([['ARCHIVE_HANDOVER_LATE', 'ARCHIVE_HANDOVER', -5000, late.customerId, 'PROPOSED']]);
});
