import { invalidArgument } from '../errors';

/**
 * Maps a ts-proto numeric enum (`CUSTOMER_KIND_PERSON = 1`) to the domain's string union
 * (`'PERSON'`) by its prefix, so one codec per enum replaces hand-written switch tables.
 * `UNSPECIFIED` decodes to undefined (absent); unknown numbers are the caller's error.
 */
export function enumCodec<D extends string>(
  protoEnum: Record<string, string | number>,
  prefix: string,
) {
  const toDomain = new Map<number, D>();
  const toProto = new Map<string, number>();
  for (const [name, value] of Object.entries(protoEnum)) {
    if (typeof value !== 'number' || !name.startsWith(prefix)) continue;
    const short = name.slice(prefix.length);
    if (short === 'UNSPECIFIED') continue;
    toDomain.set(value, short as D);
    toProto.set(short, value);
  }
  return {
    decode(value: number | undefined, field: string): D | undefined {
      if (value === undefined || value === 0) return undefined;
      const d = toDomain.get(value);
      if (!d)
        throw invalidArgument(`${field} has an unknown value ${value}`, field, 'INVALID_VALUE');
      return d;
    },
    encode(value: D | null | undefined): number {
      return value ? (toProto.get(value) ?? 0) : 0;
    },
  };
}
