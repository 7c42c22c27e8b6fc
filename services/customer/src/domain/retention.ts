import { fileDestroyed } from '@aftercare/kernel';
import { addDays, addMonths, conflict, requiredText } from '@aftercare/kit/domain';
import type { CustomerStatus, FileStatus } from './customer';

/**
 * R-CU-4 retention (客户档案的保管期限为10年): a customer file is kept for a number of years after
 * its last activity; past that it may be destroyed, only after an approval and with a record of
 * the destruction (如到期需要销毁, 必须经…审批后方可实施, 并做好销毁记录).
 */
export const DEFAULT_RETENTION_YEARS = 10;
export const MAX_RETENTION_YEARS = 50;

export const DESTRUCTION_STATUSES = ['REQUESTED', 'DESTROYED', 'REJECTED'] as const;
export type DestructionStatus = (typeof DESTRUCTION_STATUSES)[number];

/** The kinds of records whose content a destruction wipes, as counted on its record. */
export const DESTROYED_KINDS = [
  'CUSTOMER',
  'CUSTOMER_CHANGE',
  'ASSET',
  'ASSET_CHANGE',
  'CONTACT_LOG',
  'ARCHIVE_DOCUMENT',
] as const;
export type DestroyedKind = (typeof DESTROYED_KINDS)[number];

export interface DestroyedRecords {
  kind: DestroyedKind;
  count: number;
}

/**
 * The day retention ends: `years` after the local day of the last activity (29 February + 1 year
 * is 28 February). The file may be destroyed from that day on.
 */
export const retentionEndsOn = (lastActivityDay: string, years: number): string =>
  addMonths(lastActivityDay, years * 12, 'lastActivityAt');

export const isPastRetention = (endsOn: string, asOf: string): boolean => endsOn <= asOf;

/**
 * The latest local day of last activity whose file is past retention on `asOf`: the listing's
 * cut-off. `retentionEndsOn` is monotonic, so it is `asOf` less the years, moved forward over a
 * 29 February whose anniversary falls on 28 February.
 */
export function lastActivityDayPastRetention(asOf: string, years: number): string {
  let day = addMonths(asOf, -years * 12, 'asOf');
  while (isPastRetention(retentionEndsOn(addDays(day, 1), years), asOf)) day = addDays(day, 1);
  return day;
}

/**
 * Writes to a destroyed file are refused (reads answer its tombstone): the status of a live one.
 * `field` names the input that led to the file, when the caller gave one.
 */
export function liveStatus(
  file: { status: FileStatus; code: string },
  field?: string,
): CustomerStatus {
  if (file.status === 'DESTROYED') throw fileDestroyed(file.code, field);
  return file.status;
}

export interface RetentionFacts {
  code: string;
  status: FileStatus;
  /** Local day of the file's last activity. */
  lastActivityDay: string;
}

/** R-CU-4 whether a file may be proposed for destruction today; the retention end when it may. */
export function checkDestructionRequest(
  file: RetentionFacts,
  today: string,
  years: number,
  openRequest: { status: DestructionStatus } | null,
): string {
  liveStatus(file);
  if (openRequest)
    throw conflict(
      `the destruction of ${file.code} is already requested and waits for a decision`,
      'DESTRUCTION_ALREADY_REQUESTED',
    );
  const endsOn = retentionEndsOn(file.lastActivityDay, years);
  if (!isPastRetention(endsOn, today))
    throw conflict(
      `customer file ${file.code} is kept until ${endsOn} (last activity ${file.lastActivityDay}, ${years} years)`,
      'NOT_PAST_RETENTION',
    );
  return endsOn;
}

export interface PendingDestruction {
  status: DestructionStatus;
  requestedBy: string;
  decidedBy: string | null;
  /** The file's last activity when requested. */
  lastActivityAt: Date;
}

/**
 * R-CU-4 whether `approver` may approve the destruction now: a pending request, approved by
 * someone other than who asked, on a file with no activity since the request and still past
 * retention (the setting may have grown since).
 */
export function checkDestructionApproval(
  request: PendingDestruction,
  approver: string,
  file: RetentionFacts & { lastActivityAt: Date },
  today: string,
  years: number,
): void {
  assertPending(request);
  liveStatus(file);
  if (request.requestedBy === approver)
    throw conflict(
      'a destruction is approved by a manager other than who requested it',
      'APPROVER_IS_REQUESTER',
    );
  if (file.lastActivityAt.getTime() > request.lastActivityAt.getTime())
    throw conflict(
      `customer file ${file.code} had new activity since the destruction was requested; reject this request`,
      'ACTIVITY_SINCE_REQUEST',
    );
  checkDestructionRequest(file, today, years, null);
}

export function assertPending(request: { status: DestructionStatus }): void {
  if (request.status !== 'REQUESTED')
    throw conflict(`this destruction request is already ${request.status}`, 'ALREADY_DECIDED');
}

/** A repeated decision by the same person is answered with the first one (idempotent). */
export const alreadyDecidedAs = (
  request: { status: DestructionStatus; decidedBy: string | null },
  status: DestructionStatus,
  by: string,
): boolean => request.status === status && request.decidedBy === by;

/** Why a destruction is requested or rejected: required, as on a paper record. */
export const decisionReason = (raw: string | null | undefined): string =>
  requiredText(raw, 'reason', 500);
