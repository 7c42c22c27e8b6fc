import {
  ServiceReport,
  ServiceReportInput,
  WORK_ORDER_STATUSES,
  acceptSignature,
  isWorkDone,
  parseServiceReport,
} from '../../src/domain';
import { errorOf } from './helpers';

const input: ServiceReportInput = {
  findings: {
    runningHours: 1200,
    mileageKm: 35000.5,
    tamperingFound: false,
    warrantyEligible: true,
  },
  cause: 'controller capacitor failed',
  responsibility: 'PRODUCT',
  workDone: 'replaced controller',
  partsReplaced: [{ code: 'C-7', name: 'controller', quantity: 1, reason: 'burnt' }],
  oldPartsCollected: true,
  oldParts: [{ name: 'controller' }],
  customerOpinion: 'quick and tidy',
};

describe('service report', () => {
  it('R-WO-6 records findings, cause, responsibility, work done, parts, old parts and opinion', () => {
    expect(parseServiceReport(input)).toEqual({
      findings: {
        runningHours: 1200,
        mileageKm: 35000.5,
        tamperingFound: false,
        tamperingNotes: null,
        warrantyEligible: true,
      },
      cause: 'controller capacitor failed',
      responsibility: 'PRODUCT',
      workDone: 'replaced controller',
      partsReplaced: [{ code: 'C-7', name: 'controller', quantity: 1, reason: 'burnt' }],
      oldPartsCollected: true,
      oldParts: [{ name: 'controller', quantity: 1 }],
      customerOpinion: 'quick and tidy',
      assetWork: { maintenanceDone: false, commissioned: false, unitSwaps: [] },
    });
  });

  it('R-CU-7 the report says what the job did to the asset: maintenance, commissioning, units swapped', () => {
    const unitSwaps = [{ module: 'terminal', oldSerialNumber: 'T-1', newSerialNumber: 'T-2' }];
    expect(
      parseServiceReport({
        ...input,
        assetWork: { maintenanceDone: true, commissioned: true, unitSwaps },
      }).assetWork,
    ).toEqual({ maintenanceDone: true, commissioned: true, unitSwaps });
  });

  it.each([
    [{ cause: '' }, 'cause', 'REQUIRED'],
    [{ workDone: null }, 'workDone', 'REQUIRED'],
    [{ responsibility: 'GOD' }, 'responsibility', 'INVALID_VALUE'],
    [{ findings: { runningHours: -1 } }, 'findings.runningHours', 'OUT_OF_RANGE'],
    [{ findings: { tamperingFound: true } }, 'findings.tamperingNotes', 'REQUIRED'],
    [{ partsReplaced: [{ name: 'x', quantity: 1 }] }, 'partsReplaced.0.reason', 'REQUIRED'],
    [{ oldParts: [] }, 'oldParts', 'OLD_PARTS_MISMATCH'],
    [{ oldPartsCollected: false }, 'oldParts', 'OLD_PARTS_MISMATCH'],
    [{ oldParts: [{ name: '' }] }, 'oldParts.0.name', 'REQUIRED'],
    [
      { assetWork: { unitSwaps: [{ module: 'terminal', oldSerialNumber: 'T-1' }] } },
      'assetWork.unitSwaps.0.newSerialNumber',
      'REQUIRED',
    ],
    [
      {
        assetWork: {
          unitSwaps: [{ module: 'terminal', oldSerialNumber: 'T-1', newSerialNumber: 'T-1' }],
        },
      },
      'assetWork.unitSwaps.0.newSerialNumber',
      'SAME_SERIAL_NUMBER',
    ],
  ])('R-WO-6 refuses %j', (patch, field, reason) => {
    expect(
      errorOf(() => parseServiceReport({ ...input, ...patch } as ServiceReportInput)),
    ).toMatchObject({
      code: 'INVALID_ARGUMENT',
      field,
      reason,
    });
  });

  it('R-WO-6 signs of prior tampering are described', () => {
    const r = parseServiceReport({
      ...input,
      findings: { tamperingFound: true, tamperingNotes: 'seal broken', warrantyEligible: false },
    });
    expect(r.findings).toMatchObject({
      tamperingFound: true,
      tamperingNotes: 'seal broken',
      runningHours: null,
    });
  });

  describe('signature', () => {
    const report: ServiceReport = parseServiceReport(input);
    const completedAt = new Date('2026-11-24T06:00:00Z');
    const now = new Date('2026-11-24T06:30:00Z');

    it('R-WO-6 the customer signs once the work is done', () => {
      expect(
        acceptSignature(
          { status: 'RESOLVED_ON_SITE', completedAt, report },
          { signerName: ' Li Na ', imageRef: 'sig/1.png' },
          now,
        ),
      ).toEqual({ signerName: 'Li Na', signedAt: now, imageRef: 'sig/1.png' });
    });

    it('R-WO-6 refuses a signature before completion', () => {
      for (const status of WORK_ORDER_STATUSES.filter(
        (s) => !isWorkDone(s) && !['SIGNED', 'CLOSED', 'CANCELLED'].includes(s),
      )) {
        expect(
          errorOf(() =>
            acceptSignature({ status, completedAt: null, report }, { signerName: 'x' }, now),
          ),
        ).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'SIGNATURE_BEFORE_COMPLETION' });
      }
      expect(
        errorOf(() =>
          acceptSignature(
            { status: 'RETURNED', completedAt, report },
            { signerName: 'x', signedAt: new Date(completedAt.getTime() - 1) },
            now,
          ),
        ),
      ).toMatchObject({ reason: 'SIGNATURE_BEFORE_COMPLETION' });
    });

    it('R-WO-6 refuses a second signature, a missing report, a missing name, a future date', () => {
      expect(
        errorOf(() =>
          acceptSignature({ status: 'SIGNED', completedAt, report }, { signerName: 'x' }, now),
        ),
      ).toMatchObject({ reason: 'ILLEGAL_TRANSITION' });
      expect(
        errorOf(() =>
          acceptSignature(
            { status: 'RETURNED', completedAt, report: null },
            { signerName: 'x' },
            now,
          ),
        ),
      ).toMatchObject({ reason: 'REPORT_MISSING' });
      expect(
        errorOf(() => acceptSignature({ status: 'RETURNED', completedAt, report }, {}, now)),
      ).toMatchObject({ field: 'signerName', reason: 'REQUIRED' });
      expect(
        errorOf(() =>
          acceptSignature(
            { status: 'RETURNED', completedAt, report },
            { signerName: 'x', signedAt: '2026-11-25T00:00:00Z' },
            now,
          ),
        ),
      ).toMatchObject({ field: 'signedAt', reason: 'IN_FUTURE' });
    });
  });
});
