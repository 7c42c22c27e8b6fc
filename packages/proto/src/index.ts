// Generated modules (src/gen, from ../../proto via `npm run generate`) under one namespace per
// proto package, so `customerV1.Customer` never collides with another package's `Customer`.
export * as commonV1 from './gen/aftercare/common/v1/common';
export * as complaintV1 from './gen/aftercare/complaint/v1/complaint';
export * as customerV1 from './gen/aftercare/customer/v1/customer';
export * as testingV1 from './gen/aftercare/testing/v1/echo';
export * as healthV1 from './gen/grpc/health/v1/health';
export * as inventoryV1 from './gen/aftercare/inventory/v1/inventory';
export * as workorderV1 from './gen/aftercare/workorder/v1/workorder';
export * as surveyV1 from './gen/aftercare/survey/v1/survey';
