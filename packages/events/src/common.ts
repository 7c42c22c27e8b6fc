import { z } from 'zod';

export const uuid = z.uuid();
export const isoInstant = z.iso.datetime({ offset: true });
export const isoDate = z.iso.date();
export const region = z.object({
  province: z.string().nullable(),
  city: z.string().nullable(),
  district: z.string().nullable(),
});
