import { AppError } from '@aftercare/kit';
import {
  Actor,
  Complaint,
  ComplaintAction,
  ComplaintInput,
  ComplaintStatus,
  InvestigationInput,
  openComplaint,
  parseComplaint,
  transition,
} from '../../src/domain';

/** The AppError `fn` throws; fails the test when it throws nothing or something else. */
export function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

/** A valid UUID (v7 layout) ending in `n`, so tests read `id(1)`, `id(2)` … */
export const id = (n: number): string => `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`;

export const CUSTOMER = id(100);
export const ACCUSED = id(200);
export const HANDLER = id(300);
export const OTHER_STAFF = id(400);

export const admin: Actor = { userId: id(900), roles: ['admin'] };
export const relations: Actor = { userId: id(901), roles: ['customer_relations'] };
export const manager: Actor = { userId: id(902), roles: ['manager'] };
export const technician: Actor = { userId: id(903), roles: ['technician'] };
/** The person the fixture complaint is about, who happens to work in customer relations. */
export const accused: Actor = { userId: ACCUSED, roles: ['customer_relations', 'manager'] };

/** Tuesday 2026-11-24 10:00 in Shanghai. */
export const RECEIVED = new Date('2026-11-24T02:00:00Z');
export const NOW = new Date('2026-11-24T03:00:00Z');

export const validInput = (): ComplaintInput => ({
  complainant: { name: '王先生', phone: '138 0013 8000' },
  customerId: CUSTOMER,
  workOrderId: id(500),
  assetId: id(600),
  channel: 'PHONE',
  category: 'SERVICE_ATTITUDE',
  content: 'The technician was rude and left without finishing.',
  demands: ['APOLOGY'],
  attachments: [{ ref: 's3://complaints/recording-1.mp3', name: 'call recording' }],
  aboutStaffIds: [ACCUSED],
  receivedAt: RECEIVED,
});

export const newComplaint = (overrides: Partial<ComplaintInput> = {}, n = 1): Complaint =>
  openComplaint(id(n), parseComplaint({ ...validInput(), ...overrides }, { now: NOW }));

export const REPORT: InvestigationInput = {
  cause: 'Technician under time pressure',
  course: 'Called the customer and the technician',
  responsibleStaffIds: [ACCUSED],
  conclusion: 'Complaint substantiated',
  countermeasure: 'Coaching on customer conduct',
  serviceCaused: true,
};

/** The action taking a complaint from each status along the main path (rejection aside). */
export const PATH: [ComplaintStatus, ComplaintAction][] = [
  ['RECORDED', { type: 'classify' }],
  ['CLASSIFIED', { type: 'assign', handlerId: HANDLER }],
  ['ASSIGNED', { type: 'investigate', report: REPORT }],
  [
    'INVESTIGATED',
    { type: 'proposeSolution', solution: 'Apology and a free check', compensationFen: 20_000 },
  ],
  ['SOLUTION_PROPOSED', { type: 'approveSolution' }],
  ['APPROVED', { type: 'notifyCustomer' }],
  ['CUSTOMER_NOTIFIED', { type: 'close', satisfaction: 'SATISFIED' }],
];

const HOUR_MS = 3_600_000;

/** The fixture complaint walked by an admin to `status`, one hour per step. */
export function complaintIn(status: ComplaintStatus, base: Complaint = newComplaint()): Complaint {
  if (status === 'CLOSED_INVALID') {
    return transition(
      base,
      { type: 'invalidate', reason: 'Not our product' },
      { actor: admin, now: NOW },
    );
  }
  let c = base;
  for (const [i, [from, action]] of PATH.entries()) {
    if (c.status === status) return c;
    expect(c.status).toBe(from);
    c = transition(c, action, { actor: admin, now: new Date(NOW.getTime() + i * HOUR_MS) });
  }
  expect(c.status).toBe(status);
  return c;
}
