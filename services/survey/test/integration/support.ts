import { type Identity, uuidv7 } from '@aftercare/kit';
import type { ComplaintClosed, WorkOrderCompleted } from '@aftercare/events';
import { eventually, TEST_NATS_URL, testEnvelope, testServiceEnv } from '@aftercare/testkit';

export { eventually, streamEvents } from '@aftercare/testkit';
import { loadSurveyConfig, startSurveyService, type SurveyDeps } from '../../src';
import { followUpsOfWorkOrders } from '../../src/app/follow-ups';
import { surveysOfWorkOrders } from '../../src/app/surveys';
import type { Level } from '../../src/domain';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export const agent: Identity = { userId: 'agent-1', roles: ['agent'] };
export const manager: Identity = { userId: 'boss', roles: ['manager'] };

/** Publishes an event as its producer's relay would (own msgID per publish: a redelivery). */
export async function publish(
  subjectPrefix: string,
  type: string,
  data: object,
  id = uuidv7(),
  times = 1,
): Promise<string> {
  const nc = await connect({ servers: TEST_NATS_URL });
  try {
    const js = jetstream(nc);
    const subject = (data as { workOrderId?: string }).workOrderId ?? id;
    const envelope = { ...testEnvelope(type, subject, data as Record<string, unknown>), id };
    for (let i = 0; i < times; i++)
      await js.publish(`${subjectPrefix}.${type}`, JSON.stringify(envelope), {
        msgID: `${id}-${i}`,
      });
    return id;
  } finally {
    await nc.close();
  }
}

export function completed(over: Partial<WorkOrderCompleted> = {}): WorkOrderCompleted {
  return {
    workOrderId: uuidv7(),
    number: 'WO-20261124-0001',
    status: 'RESOLVED_ON_SITE',
    customerId: null,
    assetId: null,
    serviceType: 'WARRANTY',
    category: 'ELECTRICAL',
    region: { province: 'Zhejiang', city: 'Hangzhou', district: null },
    technicianIds: ['tech-1'],
    leadTechnicianId: 'tech-1',
    calledAt: '2026-11-23T01:00:00.000Z',
    stationCode: null,
    completedAt: '2026-11-24T03:00:00.000Z',
    resolution: 'ON_SITE',
    partsReplaced: [],
    oldPartsCollected: false,
    oldParts: [],
    responsibility: null,
    repeatOfWorkOrderId: null,
    ...over,
  };
}

export function complaintClosedEvent(over: Partial<ComplaintClosed> = {}): ComplaintClosed {
  return {
    complaintId: uuidv7(),
    number: 'CP-20261124-0001',
    customerId: null,
    workOrderId: null,
    category: 'SERVICE_ATTITUDE',
    channel: 'PHONE',
    valid: true,
    satisfaction: 'SATISFIED',
    receivedAt: '2026-11-20T01:00:00.000Z',
    closedAt: '2026-11-24T01:00:00.000Z',
    ...over,
  };
}

export const ITEMS = ['attitude', 'skill', 'arrival_on_time', 'promises_kept'];
export const levels = (...l: Level[]) => ({
  answers: l.map((level, i) => ({ item: ITEMS[i]!, level })),
});
export const [VD, D, S, VS] = [
  'VERY_DISSATISFIED',
  'DISSATISFIED',
  'SATISFIED',
  'VERY_SATISFIED',
] as const;

/**
 * A survey service of its own for figure tests: no customer service (calls wait for the contact
 * log, which these tests do not read) and no reminder scheduler.
 */
export async function startFiguresService(label: string) {
  const env = await testServiceEnv(label, {
    CUSTOMER_GRPC_ADDRESS: '127.0.0.1:1',
    REMINDER_SCHEDULER: 'false',
  });
  let deps!: SurveyDeps;
  const service = await startSurveyService(loadSurveyConfig(env.env), {
    overrides: { relayPollIntervalMs: 100 },
    onReady: (d) => {
      deps = d;
    },
  });
  return {
    env,
    service,
    deps,
    /** Publishes a completion and waits for its survey and follow-up plan. */
    async order(over: Partial<WorkOrderCompleted>) {
      const o = completed(over);
      await publish(env.subjectPrefix, 'workorder.completed', o);
      const survey = (await eventually(
        async () => (await surveysOfWorkOrders(deps.orm.em.fork(), agent, [o.workOrderId]))[0],
        Boolean,
      ))!;
      const [plan] = await followUpsOfWorkOrders(deps.orm.em.fork(), agent, [o.workOrderId]);
      return { surveyId: survey.id, firstCall: plan![0]!.id };
    },
    async stop() {
      await service.stop();
      await env.cleanup();
    },
  };
}
