import type { BusinessCalendar } from '@aftercare/calendar';
import type { EntityManager, Identity, Orm } from '@aftercare/kit';

export const INVENTORY_EVENTS = {
  stockPosted: 'inventory.stock_posted',
  lowStock: 'inventory.low_stock',
  partsIssued: 'inventory.parts_issued',
  partsReturned: 'inventory.parts_returned',
  requisitionRequested: 'inventory.requisition_requested',
  requisitionApproved: 'inventory.requisition_approved',
  requisitionRejected: 'inventory.requisition_rejected',
  oldPartReceived: 'inventory.old_part_received',
} as const;

/** What inventory needs from the work-order service (gRPC). */
export interface WorkOrderDirectory {
  /** The open work order's assigned technicians; FAILED_PRECONDITION WORK_ORDER_NOT_OPEN when closed. */
  openForParts(
    workOrderId: string,
    caller: Identity,
  ): Promise<{ number: string; technicianIds: string[] }>;
}

export interface EventSink {
  add(em: EntityManager, event: { type: string; aggregateId: string; data: object }): unknown;
}

export interface InventoryDeps {
  orm: Orm;
  events: EventSink;
  workOrders: WorkOrderDirectory;
  calendar: BusinessCalendar;
  /** R-IN-4: above this claim value (fen) only a manager signs the order off. */
  largeClaimFen: number;
  now: () => Date;
}
