import { optionalText, requiredText } from '@aftercare/kit/domain';

/** Province / city / district a customer, an order and a technician belong to (R-CU-1). */
export interface Region {
  province: string;
  city: string;
  district: string | null;
}

export interface RegionInput {
  province?: string | null;
  city?: string | null;
  district?: string | null;
}

export function parseRegion(input: RegionInput | null | undefined, field: string): Region {
  return {
    province: requiredText(input?.province, `${field}.province`, 50),
    city: requiredText(input?.city, `${field}.city`, 50),
    district: optionalText(input?.district, `${field}.district`, 50),
  };
}
