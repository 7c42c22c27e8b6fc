import { type EntityMetadata, ReferenceKind } from '@mikro-orm/core';

/** How the kit's own SQL reads an entity type's rows for `em.map`, its names quoted. */
export interface PlainRead {
  /** The loaded columns, as a select list: named, so a prepared read survives added columns. */
  columns: string;
  /** `select <columns> from <table> where <key> = any(?)`: the rows of some keys, made once. */
  byKeys: string;
}

const reads = new WeakMap<EntityMetadata, PlainRead | null>();

/** A table or column name as an SQL identifier. */
export const quoteName = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The entity type's table as SQL: quoted, and qualified by its schema when it has one. */
export const tableOf = (meta: EntityMetadata): string =>
  (meta.schema ? `${quoteName(meta.schema)}.` : '') + quoteName(meta.tableName);

/**
 * The loaded columns and the read by keys of an entity type whose every loaded property is one
 * plain column (lazy and formula ones are left out, as by `find`), or null for a type a plain
 * SELECT cannot read: relations, embeddables, SQL-converted types, a composite key or a
 * discriminator.
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
  if (plain) {
    const columns = loaded.map((p) => quoteName(p.fieldNames[0]!)).join(', ');
    const byKeys = `select ${columns} from ${tableOf(meta)} where ${quoteName(key.fieldNames[0]!)} = any(?)`;
    read = { columns, byKeys };
  } else read = null;
  reads.set(meta, read);
  return read;
}
