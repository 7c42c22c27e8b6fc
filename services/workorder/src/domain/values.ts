export {
  CLOCK_SKEW_MS,
  instant,
  isoDate,
  normalisePhone,
  notInFuture,
  numberIn,
  oneOf,
  optionalText,
  parseRegion,
  type Region,
  type RegionInput,
  requiredText,
} from '@aftercare/kit';
