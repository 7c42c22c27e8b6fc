import {
  AppError,
  checkUuid,
  staffId,
  conflict,
  forbidden,
  hasRole,
  invalidArgument,
  isoDate,
  notFound,
  numberIn,
  oneOf,
  requiredText,
} from '@aftercare/kit/domain';
import {
  Actor,
  ApprovalTier,
  DEFAULT_APPROVAL_TIERS,
  HANDLING_ROLES,
  mayApprove,
  requiredApprovalRole,
} from './authority';
import {
  COMPLAINT_CATEGORIES,
  ComplaintCategory,
  ComplaintIntake,
  MAX_STAFF_CONCERNED,
  distinct,
} from './complaint';

/** R-CO-2 statuses in process order; CLOSED_INVALID ends a complaint judged invalid. */
export const COMPLAINT_STATUSES = [
  'RECORDED',
  'CLASSIFIED',
  'CLOSED_INVALID',
  'ASSIGNED',
  'INVESTIGATED',
  'SOLUTION_PROPOSED',
  'APPROVED',
  'CUSTOMER_NOTIFIED',
  'CLOSED',
] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const COMPLAINT_ACTION_TYPES = [
  'classify',
  'invalidate',
  'assign',
  'investigate',
  'proposeSolution',
  'approveSolution',
  'rejectSolution',
  'notifyCustomer',
  'close',
] as const;
export type ComplaintActionType = (typeof COMPLAINT_ACTION_TYPES)[number];

export const SATISFACTION_LEVELS = ['SATISFIED', 'PARTLY', 'DISSATISFIED'] as const;
export type Satisfaction = (typeof SATISFACTION_LEVELS)[number];

/** R-CO-2 routing as data: the department responsible for each category. */
export type DepartmentRouting = Readonly<Record<ComplaintCategory, string>>;

export const DEFAULT_DEPARTMENT_ROUTING: DepartmentRouting = Object.freeze({
  SALES_CONTRACT: 'management',
  TRANSPORT: 'logistics',
  PRODUCT_QUALITY: 'quality',
  REPAIR_QUALITY: 'service',
  SERVICE_ATTITUDE: 'service',
  SUGGESTION: 'customer_relations',
});

export interface InvestigationInput {
  cause?: string | null;
  course?: string | null;
  responsibleStaffIds?: readonly string[] | null;
  conclusion?: string | null;
  countermeasure?: string | null;
  /** The finding that our service caused the complaint; the complaint rate counts it (R-CO-4). */
  serviceCaused?: boolean | null;
}

export interface InvestigationReport {
  cause: string;
  course: string;
  responsibleStaffIds: string[];
  conclusion: string;
  countermeasure: string;
  serviceCaused: boolean;
  by: string;
  at: Date;
}

export interface Solution {
  text: string;
  /** Integer fen (1 yuan = 100 fen); 0 when nothing is paid. */
  compensationFen: number;
  proposedBy: string;
  proposedAt: Date;
}

export interface Decision {
  by: string;
  at: Date;
  reason: string | null;
}

export interface ImprovementActionInput {
  id?: string | null;
  description?: string | null;
  ownerId?: string | null;
  dueDate?: string | null;
}

/** Tracked after close (R-CO-2); `dueDate` is a local business date. */
export interface ImprovementAction {
  id: string;
  description: string;
  ownerId: string;
  dueDate: string;
  doneAt: Date | null;
}

export interface Complaint extends ComplaintIntake {
  id: string;
  status: ComplaintStatus;
  /** The answer given to the customer when the complaint was judged invalid. */
  invalidReason: string | null;
  department: string | null;
  handlerId: string | null;
  assignedAt: Date | null;
  investigation: InvestigationReport | null;
  /** The latest proposal; a rejected one stays until the next replaces it. */
  solution: Solution | null;
  /** The first proposal meets the 1-working-day deadline (R-CO-3), even if it is later rejected. */
  firstSolutionAt: Date | null;
  rejections: Decision[];
  /** `role` is the authority the amount required when it was approved. */
  approval: (Decision & { role: string }) | null;
  customerNotifiedAt: Date | null;
  /** Set by `close` and by `invalidate` (answering the customer closes the complaint). */
  closedAt: Date | null;
  satisfaction: Satisfaction | null;
  /** When a major complaint was escalated to management (R-CO-3). */
  escalatedAt: Date | null;
  improvementActions: ImprovementAction[];
}

export type ComplaintAction =
  | { type: 'classify'; category?: string | null; highImpact?: boolean | null }
  | { type: 'invalidate'; reason?: string | null }
  | { type: 'assign'; handlerId?: string | null }
  | { type: 'investigate'; report: InvestigationInput }
  | { type: 'proposeSolution'; solution?: string | null; compensationFen?: number | null }
  | { type: 'approveSolution' }
  | { type: 'rejectSolution'; reason?: string | null }
  | { type: 'notifyCustomer' }
  | {
      type: 'close';
      satisfaction?: string | null;
      improvementActions?: readonly ImprovementActionInput[] | null;
    };

export interface WorkflowContext {
  actor: Actor;
  now: Date;
  routing?: DepartmentRouting;
  approvalTiers?: readonly ApprovalTier[];
}

const MOVES: Record<ComplaintActionType, { from: ComplaintStatus; to: ComplaintStatus }> = {
  classify: { from: 'RECORDED', to: 'CLASSIFIED' },
  invalidate: { from: 'RECORDED', to: 'CLOSED_INVALID' },
  assign: { from: 'CLASSIFIED', to: 'ASSIGNED' },
  investigate: { from: 'ASSIGNED', to: 'INVESTIGATED' },
  proposeSolution: { from: 'INVESTIGATED', to: 'SOLUTION_PROPOSED' },
  approveSolution: { from: 'SOLUTION_PROPOSED', to: 'APPROVED' },
  rejectSolution: { from: 'SOLUTION_PROPOSED', to: 'INVESTIGATED' },
  notifyCustomer: { from: 'APPROVED', to: 'CUSTOMER_NOTIFIED' },
  close: { from: 'CUSTOMER_NOTIFIED', to: 'CLOSED' },
};

export const MAX_COMPENSATION_FEN = 10_000_000_000; // 100 million yuan: anything above is a typo
const MAX_REPORT_TEXT = 4000;

/** R-CO-2 step 1: a recorded complaint, nothing decided yet. */
export function openComplaint(id: string, intake: ComplaintIntake): Complaint {
  return {
    ...intake,
    id: checkUuid(id, 'id'),
    status: 'RECORDED',
    invalidReason: null,
    department: null,
    handlerId: null,
    assignedAt: null,
    investigation: null,
    solution: null,
    firstSolutionAt: null,
    rejections: [],
    approval: null,
    customerNotifiedAt: null,
    closedAt: null,
    satisfaction: null,
    escalatedAt: null,
    improvementActions: [],
  };
}

/** The department responsible for a category; FAILED_PRECONDITION `NO_ROUTE` if the table lacks it. */
export function departmentFor(
  category: ComplaintCategory,
  routing: DepartmentRouting = DEFAULT_DEPARTMENT_ROUTING,
): string {
  const department = routing[category];
  if (!department) throw conflict(`no department is configured for ${category}`, 'NO_ROUTE');
  return department;
}

/**
 * Staff who must keep their hands off the complaint: those it is about and, once investigated,
 * those found responsible (they became its subject too).
 */
export const staffConcerned = (c: Complaint): string[] => [
  ...new Set([...c.aboutStaffIds, ...(c.investigation?.responsibleStaffIds ?? [])]),
];

/**
 * R-CO-2: the complaint after `action` by `ctx.actor`. Checks in this order: the move is legal
 * from the current status (FAILED_PRECONDITION `ILLEGAL_TRANSITION`), the actor is not a person the
 * complaint concerns (PERMISSION_DENIED `SELF_HANDLING`), the actor holds the authority
 * (PERMISSION_DENIED `FORBIDDEN` / `APPROVAL_AUTHORITY`), then the payload (INVALID_ARGUMENT).
 */
export function transition(
  complaint: Complaint,
  action: ComplaintAction,
  ctx: WorkflowContext,
): Complaint {
  const move = MOVES[action.type];
  if (complaint.status !== move.from) throw illegal(complaint.status, action.type);
  const denied = denial(complaint, action.type, ctx);
  if (denied) throw denied;
  return { ...complaint, ...changesOf(complaint, action, ctx), status: move.to };
}

/** Actions legal from the current status; with an actor, only those this actor may take now. */
export function allowedActions(
  complaint: Complaint,
  ctx?: Pick<WorkflowContext, 'actor' | 'approvalTiers'>,
): ComplaintActionType[] {
  return COMPLAINT_ACTION_TYPES.filter(
    (type) =>
      MOVES[type].from === complaint.status && (!ctx || denial(complaint, type, ctx) === null),
  );
}

function denial(
  complaint: Complaint,
  type: ComplaintActionType,
  ctx: Pick<WorkflowContext, 'actor' | 'approvalTiers'>,
): AppError | null {
  const { actor } = ctx;
  if (staffConcerned(complaint).includes(actor.userId)) return selfHandling();
  switch (type) {
    case 'investigate':
    case 'proposeSolution':
      return actor.userId === complaint.handlerId || hasRole(actor, ...HANDLING_ROLES)
        ? null
        : forbidden('only the assigned handler or customer relations may investigate and propose');
    case 'approveSolution':
    case 'rejectSolution': {
      const amount = complaint.solution?.compensationFen ?? 0;
      const tiers = ctx.approvalTiers ?? DEFAULT_APPROVAL_TIERS;
      return mayApprove(actor, amount, tiers)
        ? null
        : new AppError(
            'PERMISSION_DENIED',
            `a compensation of ${amount} fen needs the approval of ${requiredApprovalRole(amount, tiers)}`,
            { reason: 'APPROVAL_AUTHORITY' },
          );
    }
    default:
      return steeringDenial(actor, type);
  }
}

const steeringDenial = (actor: Actor, what: string): AppError | null =>
  hasRole(actor, ...HANDLING_ROLES)
    ? null
    : forbidden(`only ${HANDLING_ROLES.join(' or ')} may ${what} a complaint`);

function changesOf(
  complaint: Complaint,
  action: ComplaintAction,
  ctx: WorkflowContext,
): Partial<Complaint> {
  const { actor, now } = ctx;
  switch (action.type) {
    case 'classify':
      return {
        category: oneOf(COMPLAINT_CATEGORIES, action.category, 'category', complaint.category),
        highImpact: action.highImpact ?? complaint.highImpact,
      };
    case 'invalidate':
      return { invalidReason: requiredText(action.reason, 'reason', 1000), closedAt: now };
    case 'assign': {
      const handlerId = staffId(action.handlerId, 'handlerId');
      if (staffConcerned(complaint).includes(handlerId)) throw selfHandling();
      return {
        handlerId,
        department: departmentFor(complaint.category, ctx.routing),
        assignedAt: now,
      };
    }
    case 'investigate':
      return { investigation: parseInvestigation(action.report, actor.userId, now) };
    case 'proposeSolution':
      return {
        solution: {
          text: requiredText(action.solution, 'solution', MAX_REPORT_TEXT),
          compensationFen: numberIn(action.compensationFen ?? 0, 'compensationFen', {
            min: 0,
            max: MAX_COMPENSATION_FEN,
            integer: true,
          }),
          proposedBy: actor.userId,
          proposedAt: now,
        },
        firstSolutionAt: complaint.firstSolutionAt ?? now,
        approval: null,
      };
    case 'approveSolution':
      return {
        approval: {
          by: actor.userId,
          at: now,
          reason: null,
          role: requiredApprovalRole(
            complaint.solution?.compensationFen ?? 0,
            ctx.approvalTiers ?? DEFAULT_APPROVAL_TIERS,
          ),
        },
      };
    case 'rejectSolution':
      return {
        rejections: [
          ...complaint.rejections,
          { by: actor.userId, at: now, reason: requiredText(action.reason, 'reason', 1000) },
        ],
      };
    case 'notifyCustomer':
      return { customerNotifiedAt: now };
    case 'close':
      return {
        satisfaction: oneOf(SATISFACTION_LEVELS, action.satisfaction, 'satisfaction'),
        closedAt: now,
        improvementActions: parseImprovementActions(action.improvementActions ?? []),
      };
  }
}

function parseInvestigation(input: InvestigationInput, by: string, at: Date): InvestigationReport {
  const text = (raw: string | null | undefined, name: string) =>
    requiredText(raw, `report.${name}`, MAX_REPORT_TEXT);
  if (typeof input.serviceCaused !== 'boolean') {
    throw invalidArgument(
      'the report must say whether our service caused the complaint',
      'report.serviceCaused',
      'REQUIRED',
    );
  }
  return {
    cause: text(input.cause, 'cause'),
    course: text(input.course, 'course'),
    responsibleStaffIds: distinct(
      (input.responsibleStaffIds ?? []).map((id, i) =>
        staffId(id, `report.responsibleStaffIds.${i}`),
      ),
      'report.responsibleStaffIds',
      MAX_STAFF_CONCERNED,
    ),
    conclusion: text(input.conclusion, 'conclusion'),
    countermeasure: text(input.countermeasure, 'countermeasure'),
    serviceCaused: input.serviceCaused,
    by,
    at,
  };
}

function parseImprovementAction(input: ImprovementActionInput, field: string): ImprovementAction {
  return {
    id: checkUuid(input.id, `${field}.id`),
    description: requiredText(input.description, `${field}.description`, 1000),
    ownerId: staffId(input.ownerId, `${field}.ownerId`),
    dueDate: isoDate(input.dueDate, `${field}.dueDate`),
    doneAt: null,
  };
}

function parseImprovementActions(
  inputs: readonly ImprovementActionInput[],
  existing: readonly ImprovementAction[] = [],
): ImprovementAction[] {
  const added = inputs.map((a, i) => parseImprovementAction(a, `improvementActions.${i}`));
  const all = [...existing, ...added];
  distinct(
    all.map((a) => a.id),
    'improvementActions',
    100,
  );
  return all;
}

/** R-CO-2 follow-through: an improvement action added to a closed complaint. */
export function addImprovementAction(
  complaint: Complaint,
  input: ImprovementActionInput,
  ctx: WorkflowContext,
): Complaint {
  assertClosed(complaint);
  if (staffConcerned(complaint).includes(ctx.actor.userId)) throw selfHandling();
  const denied = steeringDenial(ctx.actor, 'add improvement actions to');
  if (denied) throw denied;
  return {
    ...complaint,
    improvementActions: parseImprovementActions([input], complaint.improvementActions),
  };
}

/** Marks an action done; its owner or customer relations may. FAILED_PRECONDITION `ALREADY_DONE`. */
export function completeImprovementAction(
  complaint: Complaint,
  actionId: string,
  ctx: WorkflowContext,
): Complaint {
  assertClosed(complaint);
  const action = complaint.improvementActions.find((a) => a.id === actionId);
  if (!action) throw notFound('ImprovementAction', actionId);
  if (ctx.actor.userId !== action.ownerId && !hasRole(ctx.actor, ...HANDLING_ROLES)) {
    throw forbidden('only its owner or customer relations may complete an improvement action');
  }
  if (action.doneAt) throw conflict('the improvement action is already done', 'ALREADY_DONE');
  return {
    ...complaint,
    improvementActions: complaint.improvementActions.map((a) =>
      a.id === actionId ? { ...a, doneAt: ctx.now } : a,
    ),
  };
}

/**
 * Fully closed ("actions done"): the workflow has ended and every improvement action is done. A
 * derived state rather than a status, so it can never disagree with the actions; adding an action
 * to a fully closed complaint simply makes it open for follow-through again.
 */
export function isFullyClosed(complaint: Complaint): boolean {
  if (complaint.status === 'CLOSED_INVALID') return true;
  return complaint.status === 'CLOSED' && complaint.improvementActions.every((a) => a.doneAt);
}

/** Improvement actions not done and past their due date, as of the local date `today`. */
export function overdueImprovementActions(
  complaint: Complaint,
  today: string,
): ImprovementAction[] {
  const date = isoDate(today, 'today');
  return complaint.improvementActions.filter((a) => !a.doneAt && a.dueDate < date);
}

/** R-CO-3: records that a major complaint went to management. FAILED_PRECONDITION `ALREADY_ESCALATED`. */
export function markEscalated(complaint: Complaint, at: Date): Complaint {
  if (complaint.escalatedAt) {
    throw conflict('the complaint has already been escalated', 'ALREADY_ESCALATED');
  }
  return { ...complaint, escalatedAt: at };
}

function assertClosed(complaint: Complaint): void {
  if (complaint.status !== 'CLOSED') {
    throw conflict(
      `improvement actions are tracked once the complaint is closed (it is ${complaint.status})`,
      'NOT_CLOSED',
    );
  }
}

const selfHandling = () =>
  new AppError(
    'PERMISSION_DENIED',
    'a complaint is never handled, investigated or approved by a person it concerns',
    { reason: 'SELF_HANDLING' },
  );

function illegal(status: ComplaintStatus, type: ComplaintActionType): AppError {
  return conflict(
    `cannot ${type}: a complaint cannot go from ${status} to ${MOVES[type].to}`,
    'ILLEGAL_TRANSITION',
  );
}
