import {
  Requisition,
  approveRequisition,
  cancelRequisition,
  closeRequisition,
  issueAgainst,
  movesOf,
  recordUsage,
  rejectRequisition,
  requestParts,
  returnUnused,
  unusedOf,
} from '../../src/domain';
import { errorOf } from './helpers';

const now = new Date('2026-11-24T03:00:00Z');
const later = new Date('2026-11-24T05:00:00Z');
const supervisor = { id: 'disp-1', roles: ['dispatcher'] };
const keeper = { by: 'keeper-1' };

const requested = requestParts(
  {
    id: 'REQ-1',
    workOrderId: 'wo-1',
    warehouseCode: 'st-sz',
    requestedBy: 'tech-1',
    lines: [
      { partCode: 'MTR-1', quantity: 1 },
      { partCode: 'BRG-6', quantity: 4 },
    ],
  },
  now,
);
const approved = approveRequisition(requested, supervisor, now);
const issued = issueAgainst(
  approved,
  [
    { partCode: 'MTR-1', quantity: 1 },
    { partCode: 'BRG-6', quantity: 4 },
  ],
  keeper,
  later,
).requisition;

describe('requisitions', () => {
  it('R-IN-3 a technician requests parts for a work order', () => {
    expect(requested).toMatchObject({
      status: 'REQUESTED',
      warehouseCode: 'ST-SZ',
      lines: [
        { partCode: 'MTR-1', requested: 1, approved: 0, issued: 0, used: 0, returned: 0 },
        { partCode: 'BRG-6', requested: 4, approved: 0, issued: 0, used: 0, returned: 0 },
      ],
    });
    expect(
      errorOf(() =>
        requestParts({ id: 'R', requestedBy: 't', warehouseCode: 'CW', lines: [] }, now),
      ),
    ).toMatchObject({ field: 'lines', reason: 'REQUIRED' });
    expect(
      errorOf(() =>
        requestParts(
          {
            id: 'R',
            requestedBy: 't',
            warehouseCode: 'CW',
            lines: [{ partCode: 'P-1', quantity: 1 }],
          },
          now,
        ),
      ),
    ).toMatchObject({ field: 'workOrderId', reason: 'REQUIRED' });
  });

  it('R-IN-3 a supervisor approves, possibly cutting quantities but never raising them', () => {
    expect(approved).toMatchObject({ status: 'APPROVED', decidedBy: 'disp-1', decidedAt: now });
    expect(approved.lines.map((l) => l.approved)).toEqual([1, 4]);
    const cut = approveRequisition(requested, { id: 'm', roles: ['manager'] }, now, {
      lines: [{ partCode: 'brg-6', quantity: 2 }],
    });
    expect(cut.lines.map((l) => l.approved)).toEqual([1, 2]);
    expect(
      errorOf(() =>
        approveRequisition(requested, supervisor, now, {
          lines: [{ partCode: 'BRG-6', quantity: 5 }],
        }),
      ),
    ).toMatchObject({ field: 'lines.0.quantity', reason: 'EXCEEDS_REQUESTED' });
    expect(
      errorOf(() =>
        approveRequisition(requested, supervisor, now, {
          lines: [{ partCode: 'X-1', quantity: 1 }],
        }),
      ),
    ).toMatchObject({ reason: 'NOT_REQUESTED' });
    expect(
      errorOf(() =>
        approveRequisition(requested, supervisor, now, {
          lines: [
            { partCode: 'MTR-1', quantity: 0 },
            { partCode: 'BRG-6', quantity: 0 },
          ],
        }),
      ),
    ).toMatchObject({ reason: 'NOTHING_APPROVED' });
  });

  it('R-IN-3 only supervisor roles approve or reject, and never the requester', () => {
    const technician = { id: 'tech-2', roles: ['technician', 'warehouse'] };
    expect(errorOf(() => approveRequisition(requested, technician, now))).toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    const selfApproval = { id: 'tech-1', roles: ['workshop'] };
    expect(errorOf(() => approveRequisition(requested, selfApproval, now))).toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    expect(errorOf(() => rejectRequisition(requested, selfApproval, 'no', now))).toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    // The approver roles are data.
    const lead = { id: 'lead-1', roles: ['team_lead'] };
    expect(approveRequisition(requested, lead, now, {}, ['team_lead']).status).toBe('APPROVED');
  });

  it('R-IN-3 a rejection carries its reason; decisions are taken once', () => {
    const rejected = rejectRequisition(requested, supervisor, ' not needed ', now);
    expect(rejected).toMatchObject({ status: 'REJECTED', statusReason: 'not needed' });
    expect(errorOf(() => rejectRequisition(requested, supervisor, '', now))).toMatchObject({
      field: 'reason',
    });
    expect(errorOf(() => approveRequisition(rejected, supervisor, now))).toMatchObject({
      reason: 'ILLEGAL_TRANSITION',
    });
    expect(errorOf(() => rejectRequisition(approved, supervisor, 'late', now))).toMatchObject({
      reason: 'ILLEGAL_TRANSITION',
    });
  });

  it('R-IN-3 the warehouse issues only against an approved requisition (NOT_APPROVED)', () => {
    for (const req of [
      requested,
      rejectRequisition(requested, supervisor, 'no', now),
      cancelRequisition(approved, 'job cancelled'),
      closeRequisition(issued),
    ]) {
      expect(
        errorOf(() => issueAgainst(req, [{ partCode: 'MTR-1', quantity: 1 }], keeper, later)),
      ).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'NOT_APPROVED' });
    }
  });

  it('R-IN-3 partial issues go PARTLY_ISSUED then ISSUED, never beyond the approved quantity', () => {
    const first = issueAgainst(approved, [{ partCode: 'BRG-6', quantity: 3 }], keeper, later);
    expect(first.requisition.status).toBe('PARTLY_ISSUED');
    expect(first.document).toMatchObject({
      type: 'ISSUE',
      warehouseCode: 'ST-SZ',
      reference: 'REQ-1',
      by: 'keeper-1',
      at: later,
    });
    expect(movesOf(first.document)).toEqual([
      { warehouseCode: 'ST-SZ', partCode: 'BRG-6', quantity: -3 },
    ]);
    expect(
      errorOf(() =>
        issueAgainst(first.requisition, [{ partCode: 'BRG-6', quantity: 2 }], keeper, later),
      ),
    ).toMatchObject({ reason: 'OVER_ISSUE' });
    expect(
      errorOf(() =>
        issueAgainst(first.requisition, [{ partCode: 'X-9', quantity: 1 }], keeper, later),
      ),
    ).toMatchObject({ reason: 'NOT_ON_REQUISITION' });
    const second = issueAgainst(
      first.requisition,
      [
        { partCode: 'BRG-6', quantity: 1 },
        { partCode: 'MTR-1', quantity: 1 },
      ],
      keeper,
      later,
    );
    expect(second.requisition.status).toBe('ISSUED');
    expect(second.requisition.lines.map((l) => l.issued)).toEqual([1, 4]);
    expect(
      errorOf(() =>
        issueAgainst(second.requisition, [{ partCode: 'MTR-1', quantity: 1 }], keeper, later),
      ),
    ).toMatchObject({ reason: 'NOT_APPROVED' });
  });

  it('R-IN-3 a cut line cannot be issued at all', () => {
    const cut = approveRequisition(requested, supervisor, now, {
      lines: [{ partCode: 'MTR-1', quantity: 0 }],
    });
    expect(
      errorOf(() => issueAgainst(cut, [{ partCode: 'MTR-1', quantity: 1 }], keeper, later)),
    ).toMatchObject({ reason: 'OVER_ISSUE' });
    expect(
      issueAgainst(cut, [{ partCode: 'BRG-6', quantity: 4 }], keeper, later).requisition.status,
    ).toBe('ISSUED');
  });

  it('R-IN-3 cancelled only before anything is issued, with a reason; closed after issue', () => {
    expect(cancelRequisition(requested, 'wrong part').status).toBe('CANCELLED');
    expect(errorOf(() => cancelRequisition(issued, 'x'))).toMatchObject({
      reason: 'ILLEGAL_TRANSITION',
    });
    expect(errorOf(() => cancelRequisition(requested, ' '))).toMatchObject({ field: 'reason' });
    expect(closeRequisition(issued).status).toBe('CLOSED');
    expect(errorOf(() => closeRequisition(approved))).toMatchObject({
      reason: 'ILLEGAL_TRANSITION',
    });
  });

  it('R-IN-3 parts used on the work order cannot be returned; unused ones come back as counted', () => {
    const used = recordUsage(issued, [
      { code: 'brg-6', quantity: 1 },
      { code: 'BRG-6', quantity: 1 },
      { code: 'OTHER-1', quantity: 3 },
      { code: null, quantity: 1 },
    ]);
    expect(used.lines.map((l) => [l.used, unusedOf(l)])).toEqual([
      [0, 1],
      [2, 2],
    ]);
    expect(
      errorOf(() => returnUnused(used, [{ partCode: 'BRG-6', quantity: 3 }], keeper, later)),
    ).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'RETURN_EXCEEDS_UNUSED' });
    const back = returnUnused(used, [{ partCode: 'BRG-6', quantity: 1 }], keeper, later);
    expect(movesOf(back.document)).toEqual([
      { warehouseCode: 'ST-SZ', partCode: 'BRG-6', quantity: 1 },
    ]);
    expect(back.document).toMatchObject({ type: 'RETURN', reference: 'REQ-1' });
    expect(
      errorOf(() =>
        returnUnused(back.requisition, [{ partCode: 'BRG-6', quantity: 2 }], keeper, later),
      ),
    ).toMatchObject({ reason: 'RETURN_EXCEEDS_UNUSED' });
    const again = returnUnused(
      back.requisition,
      [{ partCode: 'BRG-6', quantity: 1 }],
      keeper,
      later,
    );
    expect(again.requisition.lines[1]).toMatchObject({ issued: 4, used: 2, returned: 2 });
  });

  it('R-IN-3 usage beyond what was issued and kept is refused; returns need issued parts', () => {
    expect(errorOf(() => recordUsage(issued, [{ code: 'MTR-1', quantity: 2 }]))).toMatchObject({
      reason: 'USAGE_EXCEEDS_ISSUED',
    });
    expect(errorOf(() => recordUsage(issued, [{ code: 'MTR-1', quantity: 0.5 }]))).toMatchObject({
      field: 'partsReplaced',
      reason: 'NOT_AN_INTEGER',
    });
    const returned = returnUnused(issued, [{ partCode: 'MTR-1', quantity: 1 }], keeper, later);
    expect(
      errorOf(() => recordUsage(returned.requisition, [{ code: 'MTR-1', quantity: 1 }])),
    ).toMatchObject({ reason: 'USAGE_EXCEEDS_ISSUED' });
    for (const req of [approved, closeRequisition(issued)] as Requisition[]) {
      expect(
        errorOf(() => returnUnused(req, [{ partCode: 'MTR-1', quantity: 1 }], keeper, later)),
      ).toMatchObject({ reason: 'NOTHING_ISSUED' });
    }
  });
});
