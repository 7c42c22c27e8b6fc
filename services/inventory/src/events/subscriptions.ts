import { type ServiceRuntime, type Subscription, subscription } from '@aftercare/kit';
import { events } from '@aftercare/events';
import { onWorkOrderCompleted } from '../app/old-parts';
import type { InventoryDeps } from '../app/deps';
import type { InventoryConfig } from '../config';

/** Every event inventory consumes: the service report of a completed work order (R-IN-3, R-IN-4). */
export const subscriptions = (
  _deps: InventoryDeps,
  runtime: ServiceRuntime<InventoryConfig>,
): Subscription[] => [
  subscription({
    consumerName: 'inventory-on-workorder-completed',
    events: [events.workorder.completed],
    handler: onWorkOrderCompleted(runtime.logger),
  }),
];
