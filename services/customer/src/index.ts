export { customerService, customerSpec, startCustomerService, SCHEMA_PATH } from './service';
export { loadCustomerConfig, type CustomerConfig } from './config';
export { scanCustomerFiles } from './app/file-completeness';
export type { CustomerDeps } from './app/deps';
export { openArchiveLoanOf, scanOverdueLoans } from './app/archive-loans';
