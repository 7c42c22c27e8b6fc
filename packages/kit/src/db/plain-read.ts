import { type EntityMetadata, ReferenceKind } from '@mikro-orm/core';

/** How the kit's own SQL reads an entity type's rows for `em.map`, its names quoted. */
export interface PlainRead {
  table: string;
  /** The loaded columns, as a select list: named, so a prepared read survives added columns. */
  columns: string;
  key: string;
}

const reads = new WeakMap<EntityMetadata, PlainRead | null>();

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The table, loaded columns and key of an entity type whose every loaded property is one plain
 * column (lazy and formula ones are left out, as by `find`), or null for a type a plain SELECT
 * cannot read: relations, embeddables, SQL-converted types, a composite key or a discriminator.
 */
export function plainRead(meta: EntityMetadata): PlainRead | null {
  let read = reads.get(meta);
  if (read !== undefined) return read;
  const loaded = meta.props.filter((p) => p.persist !== false && !p.lazy && !p.formula);
  const [key, ...more] = meta.getPrimaryProps();
  const plain =
    key &&
    !more.length &&
    !meta.discriminatorColumn &&
    meta.schema !== '*' &&
    loaded.every(
      (p) =>
        p.kind === ReferenceKind.SCALAR && p.fieldNames.length === 1 && !p.hasConvertToJSValueSQL,
    );
  read = plain
    ? {
        table: (meta.schema ? `${quote(meta.schema)}.` : '') + quote(meta.tableName),
        columns: loaded.map((p) => quote(p.fieldNames[0]!)).join(', '),
        key: quote(key.fieldNames[0]!),
      }
    : null;
  reads.set(meta, read);
  return read;
}
