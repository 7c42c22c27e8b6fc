import type { BusinessCalendar } from '@aftercare/calendar';
import { type EventPublisher, type Identity, type Orm } from '@aftercare/kit';
import type { ComplaintDeadlinePolicy, PenaltyPolicy } from '../domain';

export interface CustomerContact {
  id: string;
  name: string;
  /** The primary contact's mobile or phone; null when the archive has none. */
  phone: string | null;
}

/** What the complaint service asks the customer archive (gRPC), on behalf of `caller`. */
export interface CustomerDirectory {
  /** NOT_FOUND for an unknown customer. */
  customer(customerId: string, caller: Identity): Promise<CustomerContact>;
  /** The asset's owner; NOT_FOUND for an unknown asset. */
  assetOwner(assetId: string, caller: Identity): Promise<string>;
}

export interface WorkOrderFacts {
  id: string;
  number: string;
  customerId: string | null;
  assetId: string | null;
  technicianIds: string[];
  leadTechnicianId: string | null;
  /** The service station handling the order; null without one. */
  stationCode: string | null;
}

export interface StaffFacts {
  id: string;
  /** Job position (e.g. `service_advisor`), what role doubling looks at (R-PN-2). */
  position: string | null;
  teamLeadId: string | null;
}

/** What the complaint service asks the work-order service (gRPC): orders and the staff roster. */
export interface WorkOrderDirectory {
  /** NOT_FOUND for an unknown work order. */
  workOrder(workOrderId: string, caller: Identity): Promise<WorkOrderFacts>;
  /** The roster entries found, in no particular order; unknown ids are left out. */
  staff(ids: readonly string[], caller: Identity): Promise<StaffFacts[]>;
}

export interface ComplaintDeps {
  orm: Orm;
  events: EventPublisher;
  customers: CustomerDirectory;
  workOrders: WorkOrderDirectory;
  calendar: BusinessCalendar;
  now: () => Date;
  penaltyPolicy: PenaltyPolicy;
  /** R-CO-2/R-CO-3 deadlines (settings; the seed figures by default). */
  deadlinePolicy: ComplaintDeadlinePolicy;
}

/** How this service acts on its own behalf (consumers, schedulers) towards other services. */
export const SERVICE_IDENTITY: Identity = { userId: 'complaint-service', roles: ['service'] };
