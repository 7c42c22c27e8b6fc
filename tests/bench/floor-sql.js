// The SQL the floors run (limits.js, transport-floor.js): one intake's writes, one customer read.

/**
 * One intake's writes as the work-order service makes them: the order row (contact as JSON) and
 * its outbox row (the event envelope as JSON) in one transaction, into copies of the two tables
 * (same columns, defaults, constraints and indexes) in a schema of their own, so the service's
 * outbox relay never sees them. Not the day's number row: that lock is the service's design,
 * which the issue asks to weigh, not a limit of the database.
 */
const INTAKE_SETUP = `
  CREATE SCHEMA bench_limit;
  CREATE TABLE bench_limit.work_order (LIKE public.work_order INCLUDING ALL);
  CREATE TABLE bench_limit.outbox (LIKE public.outbox INCLUDING ALL);`;
const ENVELOPE = JSON.stringify({
  specversion: '1.0',
  id: '00000000-0000-7000-8000-000000000000',
  source: 'workorder',
  type: 'workorder.registered',
  time: '2026-01-01T00:00:00.000Z',
  subject: '00000000-0000-7000-8000-000000000001',
  datacontenttype: 'application/json',
  dataschema: 'https://aftercare.example/events/workorder.registered/1.json',
  dataversion: '1',
  data: {
    workOrderId: '00000000-0000-7000-8000-000000000001',
    number: 'WO-20260101-0001',
    customerId: '00000000-0000-7000-8000-000000000002',
    assetId: '00000000-0000-7000-8000-000000000003',
    serviceType: 'WARRANTY',
    category: 'ELECTRICAL',
    channel: 'PHONE',
    region: { province: 'Zhejiang', city: 'Hangzhou', district: null },
    stationCode: 'HZ-1',
    calledAt: '2026-01-01T00:00:00.000Z',
    contact: { name: 'I', phone: '13700000001' },
    faultDescription: 'battery warning',
    registeredBy: 'bench',
  },
});
const INTAKE_STATEMENTS = [
  'BEGIN',
  `INSERT INTO bench_limit.work_order (id, number, customer_id, asset_id, contact, address_line,
     province, city, area_type, distance_km, fault_description, category, channel, service_type,
     status, sla_policy_id, called_at, registered_by, answer_due_at, arrival_due_at, on_site_due_at,
     station_code, created_at, updated_at)
   VALUES (gen_random_uuid(), gen_random_uuid()::text, gen_random_uuid(), gen_random_uuid(),
     '{"name":"I","phone":"13700000001"}', 'No. 1 Road', 'Zhejiang', 'Hangzhou', 'URBAN', 8,
     'battery warning', 'ELECTRICAL', 'PHONE', 'WARRANTY', 'REGISTERED', 'default', now(), 'bench',
     now(), now(), now(), 'HZ-1', now(), now())`,
  `INSERT INTO bench_limit.outbox (id, subject, type, aggregate_id, payload, headers, created_at)
   VALUES (gen_random_uuid(), 'bench.workorder.registered', 'workorder.registered',
     gen_random_uuid()::text, :payload::jsonb, '{}', now())`,
  'COMMIT',
];

/** A customer and its assets, the two reads behind `customer.read+assets`. */
const READ_STATEMENTS = [
  `SELECT * FROM customer WHERE id = :id`,
  `SELECT * FROM asset WHERE customer_id = :id ORDER BY id LIMIT 21`,
];

/** `text` with its `:name` placeholders as `$1, $2 …` and their values from `vars`, for node-pg. */
function bind(text, vars) {
  const values = [];
  const bound = text.replace(/(?<!:):(\w+)/g, (_, name) => {
    values.push(vars[name]);
    return `$${values.length}`;
  });
  return { text: bound, values };
}

module.exports = { INTAKE_SETUP, ENVELOPE, INTAKE_STATEMENTS, READ_STATEMENTS, bind };
