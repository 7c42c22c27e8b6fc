import { events } from '@aftercare/events';
import { type Logger, type Subscription, subscription } from '@aftercare/kit';
import {
  type PenaltyDeps,
  proposeForLateArchiveHandover,
  proposeForLateCustomerFile,
  proposeForRepeatRepair,
  proposeForSlaBreach,
  proposeForToolLoss,
} from '../app/penalties';

/** The violations other services report, each proposed to the penalty ledger (R-PN-1). */
export const penaltySubscriptions = (deps: PenaltyDeps, logger: Logger): Subscription[] => [
  subscription({
    consumerName: 'complaint-on-sla-breached',
    events: [events.workorder.slaBreached],
    handler: (em, envelope) => proposeForSlaBreach(em, deps, logger, envelope.data),
  }),
  subscription({
    consumerName: 'complaint-on-repeat-repair',
    events: [events.workorder.repeatRepair],
    handler: (em, envelope) => proposeForRepeatRepair(em, deps, envelope.data),
  }),
  subscription({
    consumerName: 'complaint-on-tool-lost',
    events: [events.inventory.toolLost],
    handler: (em, envelope) => proposeForToolLoss(em, deps, envelope.data),
  }),
  subscription({
    consumerName: 'complaint-on-archive-handover-late',
    events: [events.customer.archiveHandoverLate],
    handler: (em, envelope) => proposeForLateArchiveHandover(em, deps, logger, envelope.data),
  }),
  subscription({
    consumerName: 'complaint-on-customer-file-late',
    events: [events.customer.fileLate],
    handler: (em, envelope) => proposeForLateCustomerFile(em, deps, logger, envelope.data),
  }),
];
