import { type Identity } from '@aftercare/kit';
import type { ComplaintDeadlinePolicy } from '../domain';
import type { PenaltyDeps, StaffRoster } from './penalties';

export interface CustomerContact {
  id: string;
  name: string;
  /** The primary contact's mobile or phone; null when the archive has none. */
  phone: string | null;
  /** R-CU-4 the file was destroyed after its retention: only its tombstone answers. */
  destroyed: boolean;
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

/** What the complaint service asks the work-order service (gRPC): orders and the staff roster. */
export interface WorkOrderDirectory extends StaffRoster {
  /** NOT_FOUND for an unknown work order. */
  workOrder(workOrderId: string, caller: Identity): Promise<WorkOrderFacts>;
}

/** The complaint service's dependencies; the penalty ledger it hosts takes its part of them. */
export interface ComplaintDeps extends PenaltyDeps {
  customers: CustomerDirectory;
  workOrders: WorkOrderDirectory;
  /** R-CO-2/R-CO-3 deadlines (settings; the seed figures by default). */
  deadlinePolicy: ComplaintDeadlinePolicy;
}

/** How this service acts on its own behalf (consumers, schedulers) towards other services. */
export const SERVICE_IDENTITY: Identity = { userId: 'complaint-service', roles: ['service'] };
