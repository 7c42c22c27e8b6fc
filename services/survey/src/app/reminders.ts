import {
  alignByIds,
  createOnce,
  type EntityManager,
  type Identity,
  idempotencyKey,
  isoDate,
  checkUuid,
  oneOf,
  notFound,
  optionalText,
  type Page,
  type ReceivedEvent,
  type PageRequest,
  keysetPage,
  keysetPagesByParent,
  type ParentPageRequest,
  recordOnce,
  requiredText,
  requireRole,
  uuidv7,
  invalidArgument,
} from '@aftercare/kit';
import { events, type SurveyReminderDue } from '@aftercare/events';
import {
  ActivityRecord,
  AssetFileRecord,
  CustomerFileRecord,
  ReminderRecord,
} from '../db/entities';
import {
  addDays,
  addMonths,
  type AssetDates,
  assetRemindersDue,
  currentMaintenanceDue,
  type DueReminder,
  invitationsDue,
  REMINDER_KINDS,
} from '../domain';
import { CAN_CALL, CAN_PLAN_ACTIVITIES, CAN_READ } from './access';
import { isTransient, type SurveyDeps } from './deps';

/**
 * `customer.created` / `customer.updated` / `customer.asset_registered` / `customer.asset_updated`
 * → what reminders need. An asset's later changes (R-CU-7: maintenance done, contract renewed, new
 * owner, warranty started) move its reminders with it.
 */
export async function onCustomerEvent(
  deps: SurveyDeps,
  em: EntityManager,
  event: ReceivedEvent<
    | typeof events.customer.created
    | typeof events.customer.updated
    | typeof events.customer.assetRegistered
    | typeof events.customer.assetUpdated
  >,
): Promise<void> {
  if (
    event.type === events.customer.assetRegistered.type ||
    event.type === events.customer.assetUpdated.type
  ) {
    const a = event.data;
    await upsertAsset(em, deps.now(), {
      assetId: a.assetId,
      customerId: a.customerId,
      warrantyEnd: a.warrantyEnd ?? null,
      contractEnd: a.contract?.endDate ?? null,
      contractNumber: a.contract?.number ?? null,
      nextMaintenanceDue: a.nextMaintenanceDue ?? null,
      maintenanceCycleDays: a.maintenanceCycleDays ?? null,
      // A registration is the file's first version.
      version: 'version' in a ? a.version : 1,
    });
    return;
  }
  const c = event.data;
  const file = (await em.findOne(CustomerFileRecord, { customerId: c.customerId })) ?? null;
  // Events may arrive out of order across redeliveries: an older version never overwrites a newer.
  if (file && file.version >= c.version) return;
  const record =
    file ??
    em.create(CustomerFileRecord, {
      customerId: c.customerId,
      status: c.status,
      version: c.version,
    });
  Object.assign(record, {
    status: c.status,
    province: c.region?.province ?? null,
    city: c.region?.city ?? null,
    version: c.version,
  });
}

async function upsertAsset(
  em: EntityManager,
  now: Date,
  /** `version` from an event; none from a refresh over gRPC, which is the file as it is now. */
  a: AssetDates & { version?: number },
): Promise<void> {
  const found = await em.findOne(AssetFileRecord, { assetId: a.assetId });
  // Events may arrive out of order across redeliveries: an older version never overwrites a newer.
  if (found && a.version !== undefined && found.version >= a.version) return;
  const record = found ?? new AssetFileRecord();
  Object.assign(record, a, { updatedAt: now });
  em.persist(record);
}

/** Inserts a reminder unless its key exists; the event goes out only with the row that won. */
async function generate(deps: SurveyDeps, em: EntityManager, r: DueReminder): Promise<boolean> {
  const id = uuidv7();
  const recorded = await recordOnce(
    em,
    'reminder',
    {
      id,
      key: r.key,
      kind: r.kind,
      customer_id: r.customerId,
      asset_id: r.assetId,
      activity_id: r.activityId,
      target_date: r.targetDate,
      notify_date: r.notifyDate,
      created_at: deps.now(),
    },
    ['key'],
  );
  if (!recorded) return false;
  deps.events.publish(em, events.survey.reminderDue, id, {
    reminderId: id,
    kind: r.kind,
    customerId: r.customerId,
    assetId: r.assetId,
    activityId: r.activityId,
    targetDate: r.targetDate,
    notifyDate: r.notifyDate,
  } satisfies SurveyReminderDue);
  return true;
}

/**
 * R-SV-3: one round of the reminder scheduler. Candidate assets are those with a date inside the
 * longest lead time; their dates are refreshed from the customer service first (the customer file
 * is the source of truth: a contract may have been renewed). Candidates are walked in pages of
 * `batchSize` by asset id, so every one is looked at however many there are. Each reminder is
 * generated once: the unique key decides between replicas and rounds. Returns how many were
 * generated.
 */
export async function scanReminders(deps: SurveyDeps, batchSize = 500): Promise<number> {
  const s = deps.settings.reminders;
  const today = deps.calendar.localDate(deps.now());
  // Months are clamped at month ends (07-31 − 1 month = 06-30, 06-30 + 1 month = 07-30): look a few
  // days further; the domain decides exactly which reminders are due.
  const horizon = (months: number) => addDays(addMonths(today, months), 3);
  const inWindow = {
    $or: [
      { nextMaintenanceDue: { $gte: today, $lte: addDays(today, s.maintenanceLeadDays) } },
      // A passed due date of a maintenance cycle: rolled on to the next one (and stored so).
      { maintenanceCycleDays: { $ne: null }, nextMaintenanceDue: { $lt: today } },
      { contractEnd: { $gte: today, $lte: horizon(s.contractLeadMonths) } },
      { warrantyEnd: { $gte: today, $lte: horizon(s.warrantyLeadMonths) } },
    ],
  };
  let generated = 0;
  let after: string | null = null;
  for (;;) {
    const em = deps.orm.em.fork();
    const candidates: AssetFileRecord[] = await em.find(
      AssetFileRecord,
      after ? { $and: [inWindow, { assetId: { $gt: after } }] } : inWindow,
      { orderBy: { assetId: 'asc' }, limit: batchSize },
    );
    if (!candidates.length) break;
    after = candidates.at(-1)!.assetId;
    generated += await assetReminders(deps, em, await refreshed(deps, candidates), today);
    if (candidates.length < batchSize) break;
  }
  return generated + (await invitations(deps, today));
}

/** One page of candidate assets: their dates stored, their due reminders generated, in one transaction. */
async function assetReminders(
  deps: SurveyDeps,
  em: EntityManager,
  fresh: AssetDates[],
  today: string,
): Promise<number> {
  return em.transactional(async (tx) => {
    let generated = 0;
    const inactive = new Set(
      (
        await tx.find(
          CustomerFileRecord,
          {
            customerId: { $in: [...new Set(fresh.map((a) => a.customerId))] },
            status: { $ne: 'ACTIVE' },
          },
          { fields: ['customerId'] },
        )
      ).map((c) => c.customerId),
    );
    for (const dates of fresh) {
      const asset = {
        ...dates,
        nextMaintenanceDue: currentMaintenanceDue(
          dates.nextMaintenanceDue,
          dates.maintenanceCycleDays,
          today,
        ),
      };
      await upsertAsset(tx, deps.now(), asset);
      if (inactive.has(asset.customerId)) continue;
      for (const due of assetRemindersDue(asset, today, deps.settings.reminders))
        if (await generate(deps, tx, due)) generated += 1;
    }
    return generated;
  });
}

/** R-SV-3: the invitations of the events two weeks (or less, for late ones) ahead. */
async function invitations(deps: SurveyDeps, today: string): Promise<number> {
  const s = deps.settings.reminders;
  const em = deps.orm.em.fork();
  const activities = await em.find(
    ActivityRecord,
    { date: { $gte: today, $lte: addDays(today, s.invitationLeadDays) } },
    { orderBy: { id: 'asc' } },
  );
  return em.transactional(async (tx) => {
    let generated = 0;
    for (const activity of activities) {
      const invited = await tx.find(
        CustomerFileRecord,
        {
          status: 'ACTIVE',
          ...(activity.province ? { province: activity.province } : {}),
          ...(activity.city ? { city: activity.city } : {}),
        },
        { fields: ['customerId'], orderBy: { customerId: 'asc' } },
      );
      for (const due of invitationsDue(
        activity,
        invited.map((c) => c.customerId),
        today,
        s,
      ))
        if (await generate(deps, tx, due)) generated += 1;
    }
    return generated;
  });
}

/**
 * The candidates' current dates from the customer service; while it is down, the dates the
 * events brought (a reminder on time beats one delayed by an outage).
 */
async function refreshed(deps: SurveyDeps, candidates: AssetFileRecord[]): Promise<AssetDates[]> {
  if (!candidates.length) return [];
  try {
    return await deps.customers.assetDates(candidates.map((c) => c.assetId));
  } catch (e) {
    if (!isTransient(e)) throw e;
    deps.logger.warn(
      { err: e },
      'customer service unavailable: reminders from the dates known here',
    );
    return candidates.map(({ updatedAt: _updatedAt, ...dates }) => dates);
  }
}

/** R-SV-3: an event customers of a region are invited to, two weeks ahead; once per idempotency key. */
export async function createActivity(
  deps: SurveyDeps,
  caller: Identity | null,
  input: {
    name?: string | null;
    date?: string | null;
    province?: string | null;
    city?: string | null;
    idempotencyKey?: string | null;
  },
): Promise<ActivityRecord> {
  const me = requireRole(caller, ...CAN_PLAN_ACTIVITIES);
  const date = isoDate(input.date, 'date');
  if (date < deps.calendar.localDate(deps.now()))
    throw invalidArgument('the event date has passed', 'date', 'IN_PAST');
  const province = optionalText(input.province, 'province', 50);
  const city = optionalText(input.city, 'city', 50);
  if (city && !province) throw invalidArgument('a city needs its province', 'province', 'REQUIRED');
  const once = {
    operation: 'survey.createCustomerActivity',
    caller: me,
    key: idempotencyKey(input.idempotencyKey),
    request: input,
    load: (em: EntityManager, id: string) => em.findOneOrFail(ActivityRecord, { id }),
  };
  return createOnce(deps.orm, once, async (em) =>
    em.create(ActivityRecord, {
      id: uuidv7(),
      name: requiredText(input.name, 'name', 200),
      date,
      province,
      city,
      createdBy: me.userId,
      createdAt: deps.now(),
    }),
  );
}

export async function remindersOf(
  em: EntityManager,
  caller: Identity | null,
  filter: { customerId?: string | null; kind?: string | null },
  page: PageRequest,
): Promise<Page<ReminderRecord>> {
  requireRole(caller, ...CAN_READ, ...CAN_CALL);
  return keysetPage(
    em,
    ReminderRecord,
    {
      ...(filter.customerId ? { customerId: checkUuid(filter.customerId, 'customerId') } : {}),
      ...(filter.kind ? { kind: oneOf(REMINDER_KINDS, filter.kind, 'kind') } : {}),
    },
    page,
  );
}

export async function activitiesById(
  em: EntityManager,
  caller: Identity | null,
  ids: readonly string[],
) {
  // Activities are shown only on reminders, but the check stays here so no path skips it.
  requireRole(caller, ...CAN_READ, ...CAN_CALL);
  return alignByIds(ids, await em.find(ActivityRecord, { id: { $in: [...ids] } }));
}

export async function getReminder(em: EntityManager, caller: Identity | null, id: string) {
  requireRole(caller, ...CAN_READ, ...CAN_CALL);
  const found = await em.findOne(ReminderRecord, { id: checkUuid(id) });
  if (!found) throw notFound('Reminder', id);
  return found;
}

/** Customers' reminders, newest first: a keyset page per customer, one query for the whole batch. */
export async function remindersOfCustomers(
  em: EntityManager,
  caller: Identity | null,
  requests: readonly ParentPageRequest[],
): Promise<Page<ReminderRecord>[]> {
  requireRole(caller, ...CAN_READ, ...CAN_CALL);
  return keysetPagesByParent(em, ReminderRecord, 'customerId', requests);
}
