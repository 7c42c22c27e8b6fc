import { type ComplaintMonthlyReport, complaintMonthlyReport } from '@aftercare/events';
import { uuidv7 } from '@aftercare/kit';
import { dbQuery } from '@aftercare/testkit';
import { escalateMajorComplaints, scanOverdueComplaints } from '../../src/app/deadline-scan';
import { publishMonthlyReport } from '../../src/app/monthly-report';
import { localMonth, nextMonth } from '../../src/domain';
import { complaintGraph, createCustomer, manager, servicesForThisFile } from './setup';

// R-CO-3 schedulers on real PostgreSQL: several scans at once still notify each complaint once.
const s = servicesForThisFile('cp-deadlines');

const outbox = (type: string) =>
  dbQuery<{ n: number }>(
    s.complaintEnv.env.DATABASE_URL!,
    `SELECT count(*)::int AS n FROM outbox WHERE payload->>'type' = $1`,
    [type],
  ).then((r) => r[0]!.n);

it('R-CO-3 escalates a major complaint and flags each breached deadline exactly once across concurrent scans', async () => {
  const customerId = await createCustomer(s, 'Media Customer', '13600006666');
  const register = (receivedAt: Date, channel: string, category: string) =>
    complaintGraph<{ registerComplaint: { complaint: { id: string; majorReasons: string[] } } }>(
      s,
      `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id majorReasons } } }`,
      {
        input: {
          complainant: { name: 'M', phone: '13600006666' },
          customerId,
          channel,
          category,
          content: 'on the evening news',
          receivedAt: receivedAt.toISOString(),
        },
      },
      manager,
    ).then((r) => r.registerComplaint.complaint);
  // Received 8 days ago through the media, never escalated nor closed: escalation and closure late.
  const late = await register(new Date(Date.now() - 8 * 86_400_000), 'MEDIA', 'PRODUCT_QUALITY');
  expect(late.majorReasons).toEqual(['CHANNEL_MEDIA']);
  // A fresh ordinary one on another matter (not a repeat): nothing due yet.
  const fresh = await register(new Date(), 'PHONE', 'TRANSPORT');
  expect(fresh.majorReasons).toEqual([]);

  // Overdue first (escalation is late), then four scans of each kind at once.
  await Promise.all([1, 2, 3, 4].map(() => scanOverdueComplaints(s.deps)));
  await Promise.all([1, 2, 3, 4].map(() => escalateMajorComplaints(s.deps)));
  await Promise.all([1, 2].map(() => scanOverdueComplaints(s.deps)));

  const notices = await dbQuery<{ complaint_id: string; kind: string }>(
    s.complaintEnv.env.DATABASE_URL!,
    'SELECT complaint_id, kind FROM complaint_overdue ORDER BY kind',
  );
  expect(notices).toEqual([
    { complaint_id: late.id, kind: 'CLOSURE' },
    { complaint_id: late.id, kind: 'ESCALATION' },
  ]);
  expect(await outbox('complaint.overdue')).toBe(2);
  expect(await outbox('complaint.escalated')).toBe(1);
  const { complaint } = await complaintGraph<{
    complaint: { escalatedAt: string | null; deadlines: { noticesSent: string[] } };
  }>(
    s,
    `query($id: ID!) { complaint(id: $id) { escalatedAt deadlines { noticesSent } } }`,
    { id: late.id },
    manager,
  );
  expect(complaint.escalatedAt).not.toBeNull();
  expect(complaint.deadlines.noticesSent).toEqual(['CLOSURE', 'ESCALATION']);
  // Assigned now with no solution: three days on, the solution (1 working day) is overdue, once.
  for (const step of [
    `mutation($id: ID!) { classifyComplaint(input: { complaintId: $id }) { complaint { id } } }`,
    `mutation($id: ID!, $h: ID!) { assignComplaint(input: { complaintId: $id, handlerId: $h }) { complaint { id } } }`,
  ]) {
    await complaintGraph(s, step, { id: fresh.id, h: uuidv7() }, manager);
  }
  const later = { ...s.deps, now: () => new Date(Date.now() + 3 * 86_400_000) };
  await Promise.all([1, 2, 3].map(() => scanOverdueComplaints(later)));
  const solution = await dbQuery<{ kind: string }>(
    s.complaintEnv.env.DATABASE_URL!,
    'SELECT kind FROM complaint_overdue WHERE complaint_id = $1',
    [fresh.id],
  );
  expect(solution).toEqual([{ kind: 'SOLUTION' }]);
  expect(
    await complaintGraph(
      s,
      `query($id: ID!) { complaint(id: $id) { id } }`,
      { id: uuidv7() },
      manager,
    ),
  ).toEqual({ complaint: null });
});

it('R-CO-3 a complaint judged high impact days after receipt gets its own 24 h to be escalated', async () => {
  const customerId = await createCustomer(s, 'Later Major', '13600007777');
  const receivedAt = new Date(Date.now() - 3 * 86_400_000);
  const {
    registerComplaint: { complaint: registered },
  } = await complaintGraph<{
    registerComplaint: { complaint: { id: string; major: boolean } };
  }>(
    s,
    `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id major } } }`,
    {
      input: {
        complainant: { name: 'L', phone: '13600007777' },
        customerId,
        channel: 'PHONE',
        category: 'PRODUCT_QUALITY',
        content: 'the whole fleet is affected',
        receivedAt: receivedAt.toISOString(),
      },
    },
    manager,
  );
  expect(registered.major).toBe(false);
  const before = Date.now();
  const {
    classifyComplaint: { complaint: c },
  } = await complaintGraph<{
    classifyComplaint: {
      complaint: {
        majorSince: string;
        deadlines: { escalationDueAt: string; overdueKinds: string[] };
      };
    };
  }>(
    s,
    `mutation($id: ID!) { classifyComplaint(input: { complaintId: $id, highImpact: true }) { complaint {
      majorSince deadlines { escalationDueAt overdueKinds } } } }`,
    { id: registered.id },
    manager,
  );
  const since = new Date(c.majorSince).getTime();
  expect(since).toBeGreaterThanOrEqual(before - 1000);
  expect(new Date(c.deadlines.escalationDueAt).getTime()).toBe(since + 24 * 3_600_000);
  expect(c.deadlines.overdueKinds).toEqual([]);
  const escalationNotices = () =>
    dbQuery(
      s.complaintEnv.env.DATABASE_URL!,
      `SELECT 1 FROM complaint_overdue WHERE complaint_id = $1 AND kind = 'ESCALATION'`,
      [registered.id],
    );
  await scanOverdueComplaints(s.deps);
  expect(await escalationNotices()).toEqual([]);
  await escalateMajorComplaints(s.deps);
  await scanOverdueComplaints(s.deps);
  expect(await escalationNotices()).toEqual([]);
});

it('R-CO-4 once a month is over its report goes out once (complaint.monthly_report), across concurrent scans', async () => {
  const month = localMonth(new Date(), s.deps.calendar);
  // The scheduler's clock on the 1st of the next month, 09:00 local.
  const nextDay1 = {
    ...s.deps,
    now: () => s.deps.calendar.fromLocal(`${nextMonth(month)}-01T09:00`),
  };
  const published = await Promise.all([1, 2, 3].map(() => publishMonthlyReport(nextDay1)));
  expect(published.filter((m) => m !== null)).toEqual([month]);
  expect(await publishMonthlyReport(nextDay1)).toBeNull();
  const rows = await dbQuery<{ data: ComplaintMonthlyReport }>(
    s.complaintEnv.env.DATABASE_URL!,
    `SELECT payload->'data' AS data FROM outbox WHERE payload->>'type' = 'complaint.monthly_report'`,
  );
  expect(rows).toHaveLength(1);
  const event = complaintMonthlyReport.parse(rows[0]!.data);
  const { complaintReport } = await complaintGraph<{
    complaintReport: { total: number; overdue: number; dueDate: string };
  }>(
    s,
    `query($m: String!) { complaintReport(month: $m) { total overdue dueDate } }`,
    { m: month },
    manager,
  );
  expect(event).toMatchObject({
    month,
    dueDate: `${nextMonth(month)}-10`,
    total: complaintReport.total,
  });
  expect(event.total).toBeGreaterThan(0);
  expect(event.byCategory.map((l) => l.key)).toContain('SERVICE_ATTITUDE');
});
