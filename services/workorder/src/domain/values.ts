export {
  CLOCK_SKEW_MS,
  instant,
  isoDate,
  notInFuture,
  numberIn,
  oneOf,
  optionalText,
  requiredText,
} from '@aftercare/kit/domain';
export { normalisePhone, parseRegion, type Region, type RegionInput } from '@aftercare/kernel';
