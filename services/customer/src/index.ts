export { customerService, customerSpec, startCustomerService, SCHEMA_PATH } from './service';
export { loadCustomerConfig, type CustomerConfig } from './config';
