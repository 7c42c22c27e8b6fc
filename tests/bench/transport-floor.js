// The transport floor of one intake: the hops `registerWorkOrder` makes through the topology
// `npm start` runs, with nothing done at them — no GraphQL, no ORM, no validation, no signed
// identities, no telemetry. Three plain Node processes: an "edge" for the gateway (node:http,
// forwards the body with undici's request), an "order" for the work-order service (node:http;
// one gRPC call to "customer"; BEGIN, order row, outbox row, COMMIT; the relay's publish to
// JetStream and its mark, committed like the relay's without waiting for the disk) and a
// "customer" (the gRPC server with one read; a durable JetStream consumer applying each event in
// a transaction of its own: inbox row and contact-log row). An intake in that topology on this
// machine can hardly cost less CPU, or run faster, than this: only the consumers' batches (events
// received together, applied in one transaction) save on what the floor does per event.
//
// Run as a script, this module is one of those processes: `node transport-floor.js <role> <json>`.
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const http = require('node:http');
const { promisify } = require('node:util');
const grpc = require('@grpc/grpc-js');
const { AckPolicy, jetstream, jetstreamManager } = require('@nats-io/jetstream');
const { connect } = require('@nats-io/transport-node');
const { Client, Pool } = require('pg');
const { Agent, request } = require('undici');
const { ENVELOPE, INTAKE_STATEMENTS, READ_STATEMENTS, bind } = require('./floor-sql');
const { closedLoop } = require('./load');
const { snapshot, delta } = require('./probes');

/** The customer's copies of the consumer's tables, beside the intake's in limits.js. */
const CUSTOMER_SETUP = `
  CREATE SCHEMA bench_limit;
  CREATE TABLE bench_limit.inbox (LIKE public.inbox INCLUDING ALL);
  CREATE TABLE bench_limit.contact_log (LIKE public.contact_log INCLUDING ALL);`;
const INBOX = `INSERT INTO bench_limit.inbox (consumer, event_id) VALUES ('bench', $1)
  ON CONFLICT DO NOTHING RETURNING event_id`;
const CONTACT_LOG = `INSERT INTO bench_limit.contact_log (id, customer_id, channel, direction,
    purpose, summary, staff_id, occurred_at, created_at)
  VALUES ($1, $2, 'PHONE', 'INBOUND', 'REPAIR', 'battery warning', 'bench', now(), now())`;
const MARK_PUBLISHED = 'UPDATE bench_limit.outbox SET published_at = now() WHERE id = $1';

/** The intake's request as the bench sends it: the body the edge parses and forwards. */
const INTAKE_BODY = JSON.stringify({
  query: `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id number } } }`,
  variables: {
    input: {
      customerId: '00000000-0000-7000-8000-000000000002',
      assetId: '00000000-0000-7000-8000-000000000003',
      contact: { name: 'I', phone: '13700000001' },
      address: { region: { province: 'Zhejiang', city: 'Hangzhou' } },
      areaType: 'URBAN',
      distanceKm: 8,
      faultDescription: 'battery warning',
      channel: 'PHONE',
      category: 'ELECTRICAL',
    },
  },
});

// A generic service: JSON in a Buffer each way, so no .proto is compiled for a floor.
const json = {
  serialize: (value) => Buffer.from(JSON.stringify(value)),
  deserialize: (buffer) => JSON.parse(buffer.toString()),
};
const CUSTOMER_SERVICE = {
  read: {
    path: '/bench.Customer/Read',
    requestStream: false,
    responseStream: false,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: json.serialize,
    responseDeserialize: json.deserialize,
  },
};

// Backends that end during the window would be missed by the probe (probes.js): pools keep theirs.
const pool = (connectionString, max, options) =>
  new Pool({ connectionString, max, idleTimeoutMillis: 0, options });

function serveJson(handle) {
  return http.createServer((req, res) => {
    const chunks = [];
    req
      .on('data', (c) => chunks.push(c))
      .on('end', () => {
        const answer = (status, body) => {
          res.statusCode = status;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(body));
        };
        handle(JSON.parse(Buffer.concat(chunks).toString())).then(
          (body) => answer(200, body),
          (err) => answer(500, { errors: [{ message: String(err.message ?? err) }] }),
        );
      });
  });
}

const listening = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

const roles = {
  async edge({ orderUrl }) {
    // As the gateway calls its subgraphs: undici's request over one kept-alive Agent (ADR 0036).
    const dispatcher = new Agent();
    return listening(
      serveJson(async (body) => {
        const res = await request(orderUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          dispatcher,
        });
        const answer = await res.body.json();
        if (res.statusCode !== 200) throw new Error(answer.errors[0].message);
        return answer;
      }),
    );
  },

  async order({ databaseUrl, customerAddress, natsUrl, subject, customerId, clients }) {
    const db = pool(databaseUrl, clients);
    // The relay's commits do not wait for the disk (ADR 0038); the order's do.
    const relayDb = pool(databaseUrl, clients, '-c synchronous_commit=off');
    const Customer = grpc.makeGenericClientConstructor(CUSTOMER_SERVICE, 'Customer');
    const customer = new Customer(customerAddress, grpc.credentials.createInsecure());
    const read = promisify(customer.read.bind(customer));
    const js = jetstream(await connect({ servers: natsUrl }));
    const [begin, insertOrder, insertOutbox, commit] = INTAKE_STATEMENTS;
    const order = { name: 'order', ...bind(insertOrder, {}) };
    const outbox = {
      name: 'outbox',
      ...bind(`${insertOutbox} RETURNING id`, { payload: ENVELOPE }),
    };
    return listening(
      serveJson(async () => {
        await read({ id: customerId });
        const client = await db.connect();
        let id;
        try {
          await client.query(begin);
          await client.query(order);
          id = (await client.query(outbox)).rows[0].id;
          await client.query(commit);
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          throw err;
        } finally {
          client.release();
        }
        // As the relay would, after the commit: publish, then mark the row published.
        await js.publish(subject, ENVELOPE, { msgID: id });
        await relayDb.query({ name: 'mark', text: MARK_PUBLISHED, values: [id] });
        return { data: { registerWorkOrder: { workOrder: { id } } } };
      }),
    );
  },

  async customer({ databaseUrl, natsUrl, stream, durable, clients }) {
    const db = pool(databaseUrl, clients);
    const server = new grpc.Server();
    server.addService(CUSTOMER_SERVICE, {
      read(call, callback) {
        db.query({ name: 'read', ...bind(READ_STATEMENTS[0], { id: call.request.id }) }).then(
          ({ rows }) => callback(null, { customer: rows[0]?.id ?? null }),
          (err) => callback(err),
        );
      },
    });
    const port = await promisify(server.bindAsync.bind(server))(
      '127.0.0.1:0',
      grpc.ServerCredentials.createInsecure(),
    );
    // The consumer applies one event at a time on a connection of its own; the event id is the
    // outbox row's, which the publish carried as its Nats-Msg-Id.
    const consumerDb = new Client({ connectionString: databaseUrl });
    await consumerDb.connect();
    const js = jetstream(await connect({ servers: natsUrl }));
    const messages = await (await js.consumers.get(stream, durable)).consume();
    (async () => {
      for await (const m of messages) {
        const event = m.json();
        const id = m.headers.get('Nats-Msg-Id');
        await consumerDb.query('BEGIN');
        const fresh = await consumerDb.query({ name: 'inbox', text: INBOX, values: [id] });
        if (fresh.rowCount)
          await consumerDb.query({
            name: 'contact',
            text: CONTACT_LOG,
            values: [id, event.data.customerId],
          });
        await consumerDb.query('COMMIT');
        m.ack();
      }
    })().catch(fail);
    return port;
  },
};

function fail(err) {
  console.error(`transport floor: ${err.stack ?? err}`);
  process.exit(1);
}

/** One of the three processes, started: its pid and the port it listens on. */
function start(role, config) {
  const child = spawn(process.execPath, [__filename, role, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ${role} process exited (${code})`)));
    child.stdout.once('data', (d) => resolve({ role, child, port: Number(d) }));
  });
}

async function stop({ child }) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill();
  await exited;
}

/** Until the consumer has acknowledged every event in its stream, at most `ms`. */
async function applied(jsm, stream, durable, ms) {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    const info = await jsm.consumers.info(stream, durable);
    if (info.num_pending + info.num_ack_pending === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The transport floor, `clients` closed-loop connections posting an intake-sized body to the
 * edge for `seconds`, after a warm-up. `databases`: { workorder, customer } URLs, the first with
 * limits.js's copies of the intake tables in place (INTAKE_SETUP); the customer's are created and
 * dropped here, as are a stream and its consumer on `natsUrl`: the stream is `prefix` in capitals,
 * its subjects `prefix.>` (by default a prefix of its own).
 * `customerId`: the customer the gRPC call reads. CPU per request of each process and of the
 * PostgreSQL backends of the two databases, over the load and until the consumer has applied every
 * event; not NATS's (the bench counts it for no scenario either).
 */
async function transportFloor({
  databases,
  customerId,
  natsUrl,
  seconds,
  clients,
  prefix = `benchfloor${randomBytes(3).toString('hex')}`,
}) {
  const stream = prefix.toUpperCase();
  const durable = 'customer';
  const admin = new Client({ connectionString: databases.customer });
  await admin.connect();
  const nc = await connect({ servers: natsUrl });
  const started = [];
  try {
    await admin.query(CUSTOMER_SETUP);
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`] });
    await jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit });
    const launch = async (role, config) => {
      const running = await start(role, { ...config, clients });
      started.push(running);
      return running;
    };
    const customer = await launch('customer', {
      databaseUrl: databases.customer,
      natsUrl,
      stream,
      durable,
    });
    const order = await launch('order', {
      databaseUrl: databases.workorder,
      customerAddress: `127.0.0.1:${customer.port}`,
      natsUrl,
      subject: `${prefix}.workorder.registered`,
      customerId,
    });
    const edge = await launch('edge', { orderUrl: `http://127.0.0.1:${order.port}/` });

    const load = (s) =>
      closedLoop({ url: `http://127.0.0.1:${edge.port}/`, body: INTAKE_BODY, clients, seconds: s });
    // Pools grown, statements prepared, code optimised; then nothing left for the consumer.
    const warmUp = await load(Math.min(1, seconds));
    await applied(jsm, stream, durable, 30_000);
    // The probe's own two statements and the services' idle polls (in the bench) count too: a few
    // statements against thousands.
    const probe = {
      processes: started.map(({ role, child }) => ({ name: role, service: role, pid: child.pid })),
      databases: Object.fromEntries(
        Object.entries(databases).map(([k, url]) => [k, new URL(url).pathname.slice(1)]),
      ),
      sql: async (text, params) => (await admin.query(text, params)).rows,
    };
    const before = await snapshot(probe);
    const requests = await load(seconds);
    await applied(jsm, stream, durable, 30_000);
    const after = await snapshot(probe);
    for (const { role, child } of started)
      if (child.exitCode !== null) throw new Error(`the ${role} process exited during the floor`);
    const { cpuMsPerRequest } = delta(before, after, requests);
    const contactLogs = await admin.query('SELECT count(*)::int AS n FROM bench_limit.contact_log');
    return {
      rps: Number((requests / seconds).toFixed(0)),
      clients,
      cpuMsPerRequest,
      // Fewer applied than published: the consumer had not caught up within the wait.
      events: { published: warmUp + requests, applied: contactLogs.rows[0].n },
    };
  } finally {
    for (const running of started.reverse()) await stop(running);
    await jetstreamManager(nc)
      .then((jsm) => jsm.streams.delete(stream))
      .catch(() => {});
    await nc.close();
    await admin.query('DROP SCHEMA IF EXISTS bench_limit CASCADE').catch(() => {});
    await admin.end();
  }
}

if (require.main === module) {
  const [role, config] = process.argv.slice(2);
  roles[role](JSON.parse(config)).then((port) => console.log(port), fail);
}

module.exports = { transportFloor };
