import type { Logger, Subscription } from '@aftercare/kit';
import type { ComplaintDeps } from '../app/deps';
import { complaintSubscriptions } from './complaints';
import { penaltySubscriptions } from './penalties';

/** The events this service consumes, one durable consumer each (idempotent via the inbox). */
export const subscriptions = (deps: ComplaintDeps, logger: Logger): Subscription[] => [
  ...complaintSubscriptions(deps, logger),
  ...penaltySubscriptions(deps, logger),
];
