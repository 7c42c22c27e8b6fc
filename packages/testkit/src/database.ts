import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase, withDatabase } from '@aftercare/kit';

/**
 * The PostgreSQL server tests use: the jest globalSetup (ADR 0023) chooses it once per run and
 * sets TEST_PG_URL before any test file loads this module; the fallbacks serve runs without it.
 */
export const TEST_PG_URL =
  process.env.TEST_PG_URL ?? process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database per test file, so files run in parallel and reruns start clean. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `t_${label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(TEST_PG_URL, name);
  await ensureDatabase(url);
  return { url, name, drop: () => dropDatabase(url) };
}

/** A unique event subject prefix, so parallel test files never see each other's streams. */
export function uniqueSubjectPrefix(label: string): string {
  return `t${label.toLowerCase().replace(/[^a-z0-9]+/g, '')}${randomBytes(3).toString('hex')}`;
}

/** The NATS server tests use, chosen like TEST_PG_URL. */
export const TEST_NATS_URL =
  process.env.TEST_NATS_URL ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
