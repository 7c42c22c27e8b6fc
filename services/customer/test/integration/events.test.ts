import { type EventEnvelope } from '@aftercare/kit';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { customerV1 as pb } from '@aftercare/proto';
import {
  TEST_NATS_URL,
  type TestServiceEnv,
  testServiceEnv,
  testGrpcClient,
} from '@aftercare/testkit';
import { loadCustomerConfig, startCustomerService } from '../../src';

let env: TestServiceEnv;
let service: Awaited<ReturnType<typeof startCustomerService>>;
let nc: NatsConnection;

beforeAll(async () => {
  env = await testServiceEnv('customer-events');
  service = await startCustomerService(loadCustomerConfig(env.env), {
    overrides: { relayPollIntervalMs: 100 },
  });
  nc = await connect({ servers: TEST_NATS_URL });
});

afterAll(async () => {
  await nc?.close();
  await service?.stop();
  await env?.cleanup();
});

/** Reads the first `n` messages of the service's stream with an ordered consumer. */
async function readStream(n: number) {
  const stream = `${env.subjectPrefix.toUpperCase()}_CUSTOMER`;
  const consumer = await jetstream(nc).consumers.get(stream);
  const messages = [];
  const iter = await consumer.consume();
  const timer = setTimeout(() => iter.stop(), 10_000);
  for await (const m of iter) {
    messages.push({
      subject: m.subject,
      headers: m.headers,
      envelope: m.json<EventEnvelope<Record<string, unknown>>>(),
    });
    if (messages.length === n) break;
  }
  clearTimeout(timer);
  return messages;
}

it('publishes customer.created, customer.asset_registered, customer.contact_logged and customer.updated with envelope and headers', async () => {
  const client = testGrpcClient(pb.CustomerServiceClient, `127.0.0.1:${service.grpcPort}`, {
    identity: { userId: 'agent-9', roles: ['agent'] },
  });
  try {
    const { customer } = await client.createCustomer({
      kind: pb.CustomerKind.CUSTOMER_KIND_DEALER,
      name: 'Dealer One',
      grade: 0,
      tags: [],
      responsibleStaffId: '',
      idempotencyKey: '',
      contacts: [
        {
          name: 'Ms Qian',
          role: 'manager',
          mobile: '13512345678',
          phone: '',
          email: '',
          primary: true,
        },
      ],
      addresses: [
        {
          region: { province: 'Hubei', city: 'Wuhan', district: '' },
          line: '',
          postalCode: '',
          primary: true,
        },
      ],
    });
    const { asset } = await client.registerAsset({
      customerId: customer!.id,
      kind: pb.AssetKind.ASSET_KIND_EQUIPMENT,
      model: 'Lift-2',
      serialNumber: 'L2-0001',
      vin: '',
      plateNumber: '',
      purchaseDate: '',
      sellingDealer: '',
      mileageKm: 0,
      runningHours: 120,
      warrantyStart: '2026-01-01',
      warrantyEnd: '2026-12-31',
      maintenanceCycleDays: 0,
      lastMaintenance: '',
      idempotencyKey: '',
    });
    await client.logContact({
      customerId: customer!.id,
      channel: pb.ContactChannel.CONTACT_CHANNEL_LETTER,
      direction: pb.ContactDirection.CONTACT_DIRECTION_OUTBOUND,
      purpose: pb.ContactPurpose.CONTACT_PURPOSE_INVITATION,
      summary: 'invitation to the spring service event',
      customerRequest: '',
      staffId: '',
      reference: '',
      idempotencyKey: '',
    });
    await client.updateCustomer({
      id: customer!.id,
      expectedVersion: 0,
      grade: pb.CustomerGrade.CUSTOMER_GRADE_A,
      status: 0,
      tags: [],
      replaceTags: false,
      contacts: [],
      replaceContacts: false,
      addresses: [],
      replaceAddresses: false,
      reason: 'yearly grading',
    });

    const messages = await readStream(4);
    expect(messages.map((m) => m.envelope.type)).toEqual([
      'customer.created',
      'customer.asset_registered',
      'customer.contact_logged',
      'customer.updated',
    ]);
    const [created, registered, , updated] = messages;
    expect(created!.subject).toBe(`${env.subjectPrefix}.customer.created`);
    // CloudEvents structured content mode (ADR 0018): every attribute is in the body.
    expect(created!.envelope).toMatchObject({
      specversion: '1.0',
      type: 'customer.created',
      source: 'customer',
      subject: customer!.id,
      datacontenttype: 'application/json',
      dataschema: 'docs/events/schemas/customer.created.v1.json',
      dataversion: '1',
      data: {
        customerId: customer!.id,
        kind: 'DEALER',
        grade: 'C',
        region: { province: 'Hubei', city: 'Wuhan', district: null },
      },
    });
    expect(created!.headers?.get('Nats-Msg-Id')).toBe(created!.envelope.id);
    expect(created!.headers?.get('content-type')).toBe(
      'application/cloudevents+json; charset=utf-8',
    );
    expect([...created!.headers!.keys()].filter((k) => k.startsWith('ce-'))).toEqual([]);
    expect(registered!.envelope.data).toMatchObject({
      assetId: asset!.id,
      customerId: customer!.id,
      warrantyEnd: '2026-12-31',
    });
    expect(updated!.envelope.data).toMatchObject({
      grade: 'A',
      changedFields: ['grade'],
      changedBy: 'agent-9',
    });
  } finally {
    client.close();
  }
});
