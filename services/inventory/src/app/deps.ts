import type { BusinessCalendar } from '@aftercare/calendar';
import { type EventPublisher, type Identity, type Orm } from '@aftercare/kit';

/** What inventory needs from the work-order service (gRPC). */
export interface WorkOrderDirectory {
  /** The open work order's assigned technicians; FAILED_PRECONDITION WORK_ORDER_NOT_OPEN when closed. */
  openForParts(
    workOrderId: string,
    caller: Identity,
  ): Promise<{ number: string; technicianIds: string[] }>;
}

export interface InventoryDeps {
  orm: Orm;
  events: EventPublisher;
  workOrders: WorkOrderDirectory;
  calendar: BusinessCalendar;
  /** R-IN-4: above this claim value (fen) only a manager signs the order off. */
  largeClaimFen: number;
  now: () => Date;
}
