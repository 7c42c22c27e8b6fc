import { Client } from 'pg';

/** Creates the service's database when it does not exist yet (first start, fresh test run). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`Refusing to create database with unusual name "${name}"`);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    try {
      // Identifiers cannot be bound as parameters; `name` is validated above.
      await client.query(`CREATE DATABASE "${name}"`);
    } catch (e) {
      // Another replica or test worker created it between our check and our CREATE.
      if ((e as { code?: string }).code !== '42P04') throw e;
    }
  } finally {
    await client.end();
  }
}

/** Drops a database, disconnecting anyone still attached (test teardown). */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
