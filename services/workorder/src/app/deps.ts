import type { BusinessCalendar } from '@aftercare/calendar';
import { type EventPublisher, type Identity, type Orm } from '@aftercare/kit';
import type { DiscountAuthority, Entitlement } from '../domain';
import type { SlaPolicyCache } from './sla-policy-cache';

/** What intake needs from the customer archive (gRPC), asked on behalf of the caller. */
export interface CustomerDirectory {
  /**
   * The asset's owner and the entitlement at `at`; NOT_FOUND for an unknown asset, CONFLICT
   * FILE_DESTROYED (field `assetId`) for an asset of a destroyed customer file (R-CU-4).
   */
  entitlement(
    assetId: string,
    at: Date,
    caller: Identity,
  ): Promise<{ customerId: string; kind: Entitlement; reason: string }>;
  /** Throws NOT_FOUND for an unknown customer, CONFLICT FILE_DESTROYED (field `customerId`) for a destroyed one. */
  assertCustomer(customerId: string, caller: Identity): Promise<void>;
}

export interface WorkOrderDeps {
  orm: Orm;
  events: EventPublisher;
  customers: CustomerDirectory;
  calendar: BusinessCalendar;
  now: () => Date;
  categories: readonly string[];
  repeatWindowDays: number;
  discountAuthority: DiscountAuthority;
  /** docs/rules.md §6 service timeliness target (share of orders meeting their SLA), seed 90%. */
  timelinessTarget: number;
  /** The policies in force as intake reads them; dropped on every change (R-WO-12). */
  slaPolicies: SlaPolicyCache;
  /** Station of orders registered by staff with no station on the roster (DEFAULT_STATION_CODE). */
  defaultStation?: string | null;
  /** R-WO-10 days before a certificate's expiry that its reminder goes out (CERTIFICATE_REMINDER_DAYS). */
  certificateReminderDays?: number;
}
