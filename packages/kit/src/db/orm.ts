import type { EntitySchema, MigrationObject } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { ensureDatabase } from './database';

export type Orm = MikroORM;
export type { EntityManager } from '@mikro-orm/postgresql';

export interface OrmOptions {
  databaseUrl: string;
  // EntitySchema's variance makes a precise element type unusable in a heterogeneous list.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entities: EntitySchema<any, any>[];
  /** In order; hand-written SQL migrations (`Migration` subclasses with `addSql`). */
  migrations: MigrationObject[];
  poolMax?: number;
  /** How long a query waits for a free connection (knex's default is a minute). */
  acquireTimeoutMs?: number;
  debug?: boolean;
}

/**
 * Connects MikroORM to the service's own database, creating the database when missing.
 * Entities are `EntitySchema`s so domain classes stay free of ORM decorators (CONVENTIONS.md).
 * The global EntityManager is disabled: every request, call and message must fork its own.
 */
export async function openOrm(options: OrmOptions): Promise<Orm> {
  await ensureDatabase(options.databaseUrl);
  return MikroORM.init({
    clientUrl: options.databaseUrl,
    entities: options.entities,
    extensions: [Migrator],
    migrations: {
      migrationsList: options.migrations,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    pool: {
      min: 0,
      max: options.poolMax ?? 10,
      ...(options.acquireTimeoutMs ? { acquireTimeoutMillis: options.acquireTimeoutMs } : {}),
    },
    allowGlobalContext: false,
    debug: options.debug ?? false,
    discovery: { warnWhenNoEntities: false },
  });
}

/** Applies pending migrations; returns the names applied. Safe to run from several replicas at once. */
export async function migrateUp(orm: Orm): Promise<string[]> {
  // A session-level advisory lock serialises concurrent migrators (replicas starting together).
  const knex = orm.em.getConnection().getKnex();
  const conn = await knex.client.acquireConnection();
  try {
    await conn.query('SELECT pg_advisory_lock(hashtext($1))', ['aftercare:migrations']);
    const applied = await orm.getMigrator().up();
    return applied.map((m) => m.name);
  } finally {
    await conn.query('SELECT pg_advisory_unlock(hashtext($1))', ['aftercare:migrations']);
    await knex.client.releaseConnection(conn);
  }
}

/** Names of the migrations this build has and the database has not applied, in order. */
export async function pendingMigrations(orm: Orm): Promise<string[]> {
  return (await orm.getMigrator().getPendingMigrations()).map((m) => m.name);
}
