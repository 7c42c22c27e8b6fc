// The six KPIs of docs/rules.md §6 from events alone: no I/O here. `foldEvents` turns the replayed
// events into facts per work order, complaint, survey and parts issue; `kpis` computes the figures
// of a period and scope from those facts, the way the graph's KPI queries compute them from the
// services' tables (see README.md for each KPI's definition and the events it reads).

/** Event types the job reads; the rest of a stream is skipped. */
export const USED_TYPES = Object.freeze([
  'workorder.registered',
  'workorder.dispatched',
  'workorder.arrived',
  'workorder.completed',
  'workorder.signed',
  'workorder.closed',
  'workorder.cancelled',
  'complaint.registered',
  'complaint.progressed',
  'complaint.closed',
  'survey.answered',
  'survey.follow_up_called',
  'inventory.parts_issued',
  'inventory.wrong_part_corrected',
]);

/** Seed settings (docs/rules.md): each is a default, overridable by option. */
export const DEFAULTS = Object.freeze({
  timeZone: 'Asia/Shanghai',
  /** R-CO-3: a complaint is closed within 7 (calendar) days of receipt. */
  closureDays: 7,
  /** Complaint categories that count as service-caused until an investigation says otherwise. */
  serviceCausedCategories: ['SERVICE_ATTITUDE', 'REPAIR_QUALITY'],
  targets: {
    timeliness: 0.9,
    satisfaction: 0.85,
    complaintRate: 0.03,
    followUpRate: 1,
    partsIssueAccuracy: 0.98,
    complaintClosure: 1,
  },
});

const COMPLAINT_TYPES = new Set([
  'complaint.registered',
  'complaint.progressed',
  'complaint.closed',
]);
const SATISFIED_LEVELS = new Set(['SATISFIED', 'VERY_SATISFIED']);
const DAY_MS = 86_400_000;

const ms = (iso) => (iso ? Date.parse(iso) : null);
const earliest = (a, b) => (a === null ? b : b === null ? a : Math.min(a, b));

/**
 * Folds events (any order, duplicates already removed) into facts. Events are applied in the
 * order of their `time` so that "the latest state" of an order is the one its last event carried.
 */
export function foldEvents(events) {
  const orders = new Map();
  const complaints = new Map();
  const surveys = new Map();
  const followedUp = new Map();
  const issues = new Map();
  const corrected = new Set();
  const sorted = [...events].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  for (const { type, time, data } of sorted) {
    if (type.startsWith('workorder.')) foldOrder(orders, type, time, data);
    else if (COMPLAINT_TYPES.has(type)) foldComplaint(complaints, type, time, data, orders);
    else if (type === 'survey.answered' && data.kind === 'WORK_ORDER' && data.workOrderId)
      surveys.set(data.surveyId, { workOrderId: data.workOrderId, answers: data.answers });
    else if (type === 'survey.follow_up_called')
      followedUp.set(
        data.workOrderId,
        (followedUp.get(data.workOrderId) ?? false) || data.followedUp,
      );
    else if (type === 'inventory.parts_issued')
      // No posting instant in the data: the event is written in the posting's transaction.
      issues.set(data.documentId, {
        at: ms(time),
        warehouseCode: data.warehouseCode,
        workOrderId: data.workOrderId,
      });
    else if (type === 'inventory.wrong_part_corrected') corrected.add(data.issueId);
  }
  return { orders, complaints, surveys, followedUp, issues, corrected };
}

function foldOrder(orders, type, time, data) {
  const o = orders.get(data.workOrderId) ?? {
    id: data.workOrderId,
    calledAt: ms(data.calledAt),
    deadlines: null,
    answeredAt: null,
    arrivedAt: null,
    completion: null,
    cancelled: false,
  };
  orders.set(o.id, o);
  // Every work-order event carries the order's facts as they were when it was published.
  o.status = data.status;
  o.scope = scopeOf(data);
  o.scopeHistory = [...(o.scopeHistory ?? []), { at: ms(time), scope: o.scope }];
  // An explicit answer instant wins; otherwise the first dispatch is the answer (it answers the call).
  if (data.answeredAt) o.answeredAt = earliest(o.answeredAt, ms(data.answeredAt));
  switch (type) {
    case 'workorder.registered':
      // Every SLA policy sets the answer deadline; an order without one has no SLA (internal work).
      o.deadlines = data.answerDueAt
        ? {
            answer: ms(data.answerDueAt),
            arrival: ms(data.arrivalDueAt),
            onSite: ms(data.onSiteDueAt),
          }
        : null;
      break;
    case 'workorder.dispatched':
      o.answeredAt = earliest(o.answeredAt, ms(data.dispatchedAt));
      break;
    case 'workorder.arrived':
      o.arrivedAt = earliest(o.arrivedAt, ms(data.arrivedAt));
      break;
    case 'workorder.completed':
      // The first completion is the one the survey and complaint services record.
      o.completion ??= {
        at: ms(data.completedAt ?? time),
        scope: o.scope,
        serviceType: data.serviceType,
        customerId: data.customerId,
      };
      break;
    case 'workorder.cancelled':
      o.cancelled = true;
      break;
  }
}

const scopeOf = (data) => ({
  province: data.region?.province ?? null,
  city: data.region?.city ?? null,
  district: data.region?.district ?? null,
  stationCode: data.stationCode ?? null,
  technicianIds: data.technicianIds ?? [],
});

function foldComplaint(complaints, type, time, data, orders) {
  const c = complaints.get(data.complaintId) ?? {
    id: data.complaintId,
    workOrderId: data.workOrderId ?? null,
    receivedAt: null,
    closedAt: null,
    invalid: false,
    aboutStaffIds: [],
    investigation: null,
    stationCode: null,
  };
  complaints.set(c.id, c);
  if (data.category) c.category = data.category;
  if (data.workOrderId) c.workOrderId = data.workOrderId;
  if (type === 'complaint.registered') {
    c.receivedAt = ms(data.receivedAt);
    c.aboutStaffIds = data.aboutStaffIds ?? [];
    // The complaint service notes the station handling the work order when it records the complaint.
    c.stationCode = stationAt(orders.get(c.workOrderId), ms(time));
  } else if (type === 'complaint.progressed' && data.investigation) {
    c.investigation = data.investigation;
  } else if (type === 'complaint.closed') {
    c.receivedAt ??= ms(data.receivedAt);
    c.closedAt = ms(data.closedAt);
    c.invalid = data.valid === false;
  }
}

function stationAt(order, at) {
  if (!order) return null;
  const before = order.scopeHistory.filter((h) => h.at <= at);
  return (before.at(-1) ?? order.scopeHistory[0]).scope.stationCode;
}

/** The business date (YYYY-MM-DD) of an instant in `timeZone`. */
export function businessDate(instantMs, timeZone) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(instantMs));
  const get = (t) => parts.find((p) => p.type === t).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * The six figures over business dates `from`..`to` (inclusive) in `scope`
 * (`{ province, city, stationCode, technicianId }`, each optional), as of `now`.
 */
export function kpis(facts, { from, to, scope = {}, now = new Date(), ...rest }) {
  const o = { ...DEFAULTS, ...rest };
  const dateOf = (instant) => businessDate(instant, o.timeZone);
  const inPeriod = (instant) => {
    if (instant === null || instant === undefined) return false;
    const d = dateOf(instant);
    return d >= from && d <= to;
  };
  const nowMs = now.getTime();
  const completed = [...facts.orders.values()].filter(
    (w) => w.completion && inPeriod(w.completion.at) && inScope(w.completion.scope, scope),
  );
  const completedIds = new Set(completed.map((w) => w.id));
  return {
    serviceTimeliness: timeliness(
      [...facts.orders.values()].filter((w) => inPeriod(w.calledAt) && inScope(w.scope, scope)),
      nowMs,
      o.targets.timeliness,
    ),
    satisfaction: satisfaction(
      [...facts.surveys.values()].filter((s) => completedIds.has(s.workOrderId)),
      o.targets.satisfaction,
    ),
    complaintRate: complaintRate(facts, completed.length, inPeriod, scope, o),
    followUpRate: followUpRate(completed, facts.followedUp, o.targets.followUpRate),
    partsIssueAccuracy: issueAccuracy(facts, inPeriod, scope, o.targets.partsIssueAccuracy),
    complaintClosure: closure(facts, inPeriod, scope, nowMs, o),
  };
}

/** Region, station and technician scope, every part optional. */
function inScope(s, scope) {
  return (
    (!scope.province || s.province === scope.province) &&
    (!scope.city || s.city === scope.city) &&
    (!scope.district || s.district === scope.district) &&
    (!scope.stationCode || s.stationCode === scope.stationCode.toUpperCase()) &&
    (!scope.technicianId || s.technicianIds.includes(scope.technicianId))
  );
}

const ratio = (n, d) => (d === 0 ? null : n / d);
const meets = (rate, ok) => (rate === null ? null : ok(rate));

/**
 * Service timeliness: an order meets its SLA when every deadline it carries was met at or before
 * its due instant, misses it once one is breached (met late, or passed unmet as of `now`), and is
 * pending otherwise — left out of the rate. Cancelled orders and orders without an SLA are not counted.
 */
function timeliness(orders, now, target) {
  let met = 0;
  let missed = 0;
  let pending = 0;
  for (const w of orders) {
    if (w.cancelled || w.status === 'CANCELLED' || !w.deadlines) continue;
    const checks = [
      [w.deadlines.answer, w.answeredAt],
      [w.deadlines.arrival, w.arrivedAt],
      [w.deadlines.onSite, w.arrivedAt],
    ].filter(([due]) => due !== null);
    if (checks.some(([due, at]) => (at ?? now) > due)) missed += 1;
    else if (checks.some(([, at]) => at === null) || w.answeredAt === null) pending += 1;
    else met += 1;
  }
  const rate = ratio(met, met + missed);
  return {
    workOrders: met + missed + pending,
    met,
    missed,
    pending,
    rate,
    target,
    meetsTarget: meets(rate, (r) => r >= target),
  };
}

/** Satisfaction: every rated item of an answered work-order survey is one answer. */
function satisfaction(surveys, target) {
  let answers = 0;
  let satisfied = 0;
  let satisfiedSurveys = 0;
  for (const s of surveys) {
    answers += s.answers.length;
    const good = s.answers.filter((a) => SATISFIED_LEVELS.has(a.level)).length;
    satisfied += good;
    if (good === s.answers.length) satisfiedSurveys += 1;
  }
  const rate = ratio(satisfied, answers);
  return {
    answers,
    satisfied,
    rate,
    surveys: surveys.length,
    satisfiedSurveys,
    target,
    meetsTarget: meets(rate, (r) => r >= target),
  };
}

/** Complaints received in the period and in scope (the complaint service's scope rule). */
function complaintsOf(facts, inPeriod, scope) {
  return [...facts.complaints.values()].filter((c) => {
    if (!inPeriod(c.receivedAt)) return false;
    const order = facts.orders.get(c.workOrderId);
    const done = order?.completion ?? null;
    // Region: that of the complaint's completed work order; none, and a region scope leaves it out.
    if ((scope.province || scope.city) && !done) return false;
    if (done && !inScope(done.scope, { province: scope.province, city: scope.city })) return false;
    if (scope.stationCode) {
      const station = done?.scope.stationCode ?? c.stationCode;
      if (station !== scope.stationCode.toUpperCase()) return false;
    }
    if (!scope.technicianId) return true;
    // A technician's complaints: those naming them, or, naming nobody, those on their work order.
    const named = [
      ...new Set([...c.aboutStaffIds, ...(c.investigation?.responsibleStaffIds ?? [])]),
    ];
    return named.length > 0
      ? named.includes(scope.technicianId)
      : (done?.scope.technicianIds.includes(scope.technicianId) ?? false);
  });
}

/**
 * Service-caused: never an invalid complaint; an investigated one as the investigation found;
 * otherwise by category.
 */
function serviceCaused(c, categories) {
  if (c.invalid) return false;
  if (c.investigation && typeof c.investigation.serviceCaused === 'boolean')
    return c.investigation.serviceCaused;
  return categories.includes(c.category);
}

function complaintRate(facts, completedWorkOrders, inPeriod, scope, o) {
  const serviceCausedComplaints = complaintsOf(facts, inPeriod, scope).filter((c) =>
    serviceCaused(c, o.serviceCausedCategories),
  ).length;
  const rate = ratio(serviceCausedComplaints, completedWorkOrders);
  const target = o.targets.complaintRate;
  return {
    serviceCausedComplaints,
    completedWorkOrders,
    rate,
    target,
    meetsTarget: meets(rate, (r) => r < target),
  };
}

/** Follow-up rate over the period's completed warranty orders with a customer to call. */
function followUpRate(completed, followedUp, target) {
  const warranty = completed.filter(
    (w) => w.completion.serviceType === 'WARRANTY' && w.completion.customerId,
  );
  const done = warranty.filter((w) => followedUp.get(w.id) === true).length;
  const rate = ratio(done, warranty.length);
  return {
    workOrders: warranty.length,
    followedUp: done,
    rate,
    target,
    meetsTarget: meets(rate, (r) => r >= target),
  };
}

/**
 * Parts issue accuracy: issues posted in the period; one is wrong when any correction names it,
 * whenever made. Scoped by warehouse as in the graph, and by region, station or technician through
 * the issue's work order (which the graph does not offer).
 */
function issueAccuracy(facts, inPeriod, scope, target) {
  const { warehouseCode, ...orderScope } = scope;
  const scoped = Object.values(orderScope).some(Boolean);
  const issues = [...facts.issues.entries()].filter(([, i]) => {
    if (!inPeriod(i.at)) return false;
    if (warehouseCode && i.warehouseCode !== warehouseCode.toUpperCase()) return false;
    if (!scoped) return true;
    const order = facts.orders.get(i.workOrderId);
    return order ? inScope(order.scope, scope) : false;
  });
  const wrong = issues.filter(([id]) => facts.corrected.has(id)).length;
  const accuracy = ratio(issues.length - wrong, issues.length);
  return {
    issues: issues.length,
    correct: issues.length - wrong,
    wrong,
    accuracy,
    target,
    meetsTarget: meets(accuracy, (r) => r >= target),
  };
}

/**
 * Complaint closure: closed (also as invalid) within `closureDays` of receipt / those whose outcome
 * is known (closed, or open past the deadline); open ones still within it are pending.
 */
function closure(facts, inPeriod, scope, now, o) {
  const counts = { closedWithinDeadline: 0, closedLate: 0, openOverdue: 0, pending: 0 };
  const list = complaintsOf(facts, inPeriod, scope);
  for (const c of list) {
    const dueAt = c.receivedAt + o.closureDays * DAY_MS;
    if (c.closedAt !== null)
      counts[c.closedAt <= dueAt ? 'closedWithinDeadline' : 'closedLate'] += 1;
    else counts[now > dueAt ? 'openOverdue' : 'pending'] += 1;
  }
  const due = counts.closedWithinDeadline + counts.closedLate + counts.openOverdue;
  const rate = ratio(counts.closedWithinDeadline, due);
  const target = o.targets.complaintClosure;
  return {
    complaints: list.length,
    due,
    ...counts,
    rate,
    target,
    meetsTarget: meets(rate, (r) => r >= target),
  };
}

/** The scopes a breakdown `by` region, station or technician has in the period's orders. */
export function groupsOf(facts, by) {
  const keys = new Map();
  for (const w of facts.orders.values()) {
    const scopes = [w.scope, w.completion?.scope].filter(Boolean);
    for (const s of scopes) {
      if (by === 'region' && s.province)
        keys.set(`${s.province}/${s.city ?? ''}`, {
          province: s.province,
          ...(s.city ? { city: s.city } : {}),
        });
      if (by === 'station' && s.stationCode)
        keys.set(s.stationCode, { stationCode: s.stationCode });
      if (by === 'technician') for (const t of s.technicianIds) keys.set(t, { technicianId: t });
    }
  }
  return [...keys.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, scope]) => scope);
}

/**
 * The report: all KPIs over the period for everything (and `scope` if given), plus one line per
 * region, station or technician when `by` asks for a breakdown.
 */
export function report(events, options) {
  const facts = foldEvents(events);
  const { by, scope = {}, ...rest } = options;
  const out = {
    from: options.from,
    to: options.to,
    timeZone: rest.timeZone ?? DEFAULTS.timeZone,
    scope,
    kpis: kpis(facts, { ...rest, scope }),
  };
  if (by)
    out.by = groupsOf(facts, by).map((s) => ({
      scope: s,
      kpis: kpis(facts, { ...rest, scope: { ...scope, ...s } }),
    }));
  return out;
}
