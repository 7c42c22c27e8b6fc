export { workOrderService, workOrderSpec, startWorkOrderService, SCHEMA_PATH } from './service';
export { loadWorkOrderConfig, type WorkOrderConfig } from './config';
export { scanSlaBreaches } from './app/sla-scan';
export type { WorkOrderDeps } from './app/deps';
