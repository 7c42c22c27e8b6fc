import { conflict, invalidArgument } from '@aftercare/kit/domain';
import { PartReplaced, PartReplacedInput, parsePartsReplaced } from './parts';
import { WorkOrderStatus, assertCanSign } from './status';
import { instant, notInFuture, numberIn, oneOf, optionalText, requiredText } from './values';

export const RESPONSIBILITIES = ['PRODUCT', 'USER', 'THIRD_PARTY', 'UNKNOWN'] as const;
export type Responsibility = (typeof RESPONSIBILITIES)[number];

/** What the technician found on arrival (R-WO-6). */
export interface Findings {
  runningHours: number | null;
  mileageKm: number | null;
  tamperingFound: boolean;
  tamperingNotes: string | null;
  /** Null when the technician cannot tell; the service type decides who pays anyway. */
  warrantyEligible: boolean | null;
}

/** R-CU-7: a unit or module exchanged, both serial numbers on the report (原終端號與更新的終端號). */
export interface UnitSwap {
  module: string;
  oldSerialNumber: string;
  newSerialNumber: string;
}

/** What the job did to the asset file (R-CU-7); the customer service applies it on completion. */
export interface AssetWork {
  maintenanceDone: boolean;
  /** An installation or commissioning job: it can start the warranty. */
  commissioned: boolean;
  unitSwaps: UnitSwap[];
}

export interface OldPart {
  name: string;
  quantity: number;
}

/** R-WO-6 service report (服务报告). */
export interface ServiceReport {
  findings: Findings;
  cause: string;
  responsibility: Responsibility;
  workDone: string;
  partsReplaced: PartReplaced[];
  oldPartsCollected: boolean;
  oldParts: OldPart[];
  customerOpinion: string | null;
  /** Absent on reports written before it was asked for. */
  assetWork?: AssetWork;
}

export interface AssetWorkInput {
  maintenanceDone?: boolean | null;
  commissioned?: boolean | null;
  unitSwaps?:
    | readonly {
        module?: string | null;
        oldSerialNumber?: string | null;
        newSerialNumber?: string | null;
      }[]
    | null;
}

export interface ServiceReportInput {
  findings?: {
    runningHours?: number | null;
    mileageKm?: number | null;
    tamperingFound?: boolean | null;
    tamperingNotes?: string | null;
    warrantyEligible?: boolean | null;
  } | null;
  cause?: string | null;
  responsibility?: string | null;
  workDone?: string | null;
  partsReplaced?: readonly PartReplacedInput[] | null;
  oldPartsCollected?: boolean | null;
  oldParts?: readonly { name?: string | null; quantity?: number | null }[] | null;
  customerOpinion?: string | null;
  assetWork?: AssetWorkInput | null;
}

const optionalNumber = (raw: number | null | undefined, field: string, max: number) =>
  raw === null || raw === undefined ? null : numberIn(raw, field, { min: 0, max });

export function parseServiceReport(input: ServiceReportInput): ServiceReport {
  const f = input.findings ?? {};
  const tamperingFound = Boolean(f.tamperingFound);
  const tamperingNotes = optionalText(f.tamperingNotes, 'findings.tamperingNotes', 1000);
  // Prior tampering voids warranty claims, so the report must say what was seen.
  if (tamperingFound && !tamperingNotes) {
    throw invalidArgument(
      'describe the signs of prior tampering',
      'findings.tamperingNotes',
      'REQUIRED',
    );
  }
  return {
    findings: {
      runningHours: optionalNumber(f.runningHours, 'findings.runningHours', 1_000_000),
      mileageKm: optionalNumber(f.mileageKm, 'findings.mileageKm', 10_000_000),
      tamperingFound,
      tamperingNotes,
      warrantyEligible: f.warrantyEligible ?? null,
    },
    cause: requiredText(input.cause, 'cause', 2000),
    responsibility: oneOf(RESPONSIBILITIES, input.responsibility, 'responsibility'),
    workDone: requiredText(input.workDone, 'workDone', 4000),
    partsReplaced: parsePartsReplaced(input.partsReplaced, 'partsReplaced'),
    ...parseOldParts(input),
    customerOpinion: optionalText(input.customerOpinion, 'customerOpinion', 2000),
    assetWork: parseAssetWork(input.assetWork),
  };
}

/** A handful of swaps per job is plenty; more is a mistake in the form. */
const MAX_UNIT_SWAPS = 20;

function parseAssetWork(input: AssetWorkInput | null | undefined): AssetWork {
  const swaps = input?.unitSwaps ?? [];
  if (swaps.length > MAX_UNIT_SWAPS)
    throw invalidArgument(
      `at most ${MAX_UNIT_SWAPS} unit swaps`,
      'assetWork.unitSwaps',
      'TOO_MANY',
    );
  return {
    maintenanceDone: Boolean(input?.maintenanceDone),
    commissioned: Boolean(input?.commissioned),
    unitSwaps: swaps.map((u, i) => {
      const field = `assetWork.unitSwaps.${i}`;
      const swap = {
        module: requiredText(u.module, `${field}.module`, 100),
        oldSerialNumber: requiredText(u.oldSerialNumber, `${field}.oldSerialNumber`, 64),
        newSerialNumber: requiredText(u.newSerialNumber, `${field}.newSerialNumber`, 64),
      };
      if (swap.oldSerialNumber === swap.newSerialNumber)
        throw invalidArgument(
          'the new serial number is the old one',
          `${field}.newSerialNumber`,
          'SAME_SERIAL_NUMBER',
        );
      return swap;
    }),
  };
}

function parseOldParts(
  input: ServiceReportInput,
): Pick<ServiceReport, 'oldPartsCollected' | 'oldParts'> {
  const oldPartsCollected = Boolean(input.oldPartsCollected);
  const oldParts = (input.oldParts ?? []).map((p, i) => ({
    name: requiredText(p.name, `oldParts.${i}.name`, 200),
    quantity: numberIn(p.quantity ?? 1, `oldParts.${i}.quantity`, {
      min: 0,
      max: 10_000,
      minExclusive: true,
    }),
  }));
  if (oldPartsCollected !== oldParts.length > 0) {
    throw invalidArgument(
      oldPartsCollected
        ? 'list the old parts that were collected'
        : 'old parts are listed but not marked as collected',
      'oldParts',
      'OLD_PARTS_MISMATCH',
    );
  }
  return { oldPartsCollected, oldParts };
}

export interface Signature {
  signerName: string;
  signedAt: Date;
  /** Reference to the stored signature image, if captured. */
  imageRef: string | null;
}

export interface SignatureInput {
  signerName?: string | null;
  signedAt?: Date | string | null;
  imageRef?: string | null;
}

export interface SignableOrder {
  status: WorkOrderStatus;
  /** When the work was done (entering RESOLVED_ON_SITE or RETURNED). */
  completedAt: Date | null;
  report: ServiceReport | null;
}

/**
 * R-WO-6: the customer signs the service report only after the work is done — a signature while
 * the work is open, or dated before its completion, is refused (`SIGNATURE_BEFORE_COMPLETION`).
 */
export function acceptSignature(order: SignableOrder, input: SignatureInput, now: Date): Signature {
  assertCanSign(order.status);
  if (!order.report) {
    throw conflict(
      'the service report must be filled in before the customer signs',
      'REPORT_MISSING',
    );
  }
  const signedAt = notInFuture(
    input.signedAt ? instant(input.signedAt, 'signedAt') : now,
    now,
    'signedAt',
  );
  if (order.completedAt && signedAt.getTime() < order.completedAt.getTime()) {
    throw conflict(
      'the signature is dated before the work was completed',
      'SIGNATURE_BEFORE_COMPLETION',
    );
  }
  return {
    signerName: requiredText(input.signerName, 'signerName', 100),
    signedAt,
    imageRef: optionalText(input.imageRef, 'imageRef', 500),
  };
}
