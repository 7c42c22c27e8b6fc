import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dbQuery } from '@aftercare/testkit';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * The contract check of issue 13: every event the services publish during an e2e run validates
 * against its published JSON Schema (docs/events/schemas, what reporting teams read), envelope
 * and data. It reads the producers' outbox tables, so events a test injects itself are not
 * counted, and it adds no run of its own: the harness calls it before stopping a system.
 */
const SCHEMA_DIR = join(__dirname, '../../../docs/events/schemas');

let validators: Map<string, ValidateFunction> | undefined;

function published(): Map<string, ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  validators = new Map(
    readdirSync(SCHEMA_DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f, ajv.compile(JSON.parse(readFileSync(join(SCHEMA_DIR, f), 'utf8')))]),
  );
  return validators;
}

const explain = (v: ValidateFunction): string =>
  (v.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ');

/** What in `events` (CloudEvent bodies) breaks the published contracts; empty when nothing does. */
export function contractViolations(events: readonly unknown[]): string[] {
  const schemas = published();
  const envelope = schemas.get('cloudevent.json')!;
  const problems: string[] = [];
  for (const event of events) {
    const e = event as { id?: string; type?: string; dataversion?: string; data?: unknown };
    const which = `${e.type ?? '?'} ${e.id ?? '?'}`;
    if (!envelope(event)) {
      problems.push(`${which}: envelope breaks cloudevent.json: ${explain(envelope)}`);
      continue;
    }
    const file = `${e.type}.v${e.dataversion}.json`;
    const data = schemas.get(file);
    if (!data) problems.push(`${which}: no published schema ${file}`);
    else if (!data(e.data)) problems.push(`${which}: data breaks ${file}: ${explain(data)}`);
  }
  return problems;
}

/** Throws naming every event in the services' outboxes that breaks its published contract. */
export async function checkPublishedEvents(databaseUrls: readonly string[]): Promise<void> {
  const problems: string[] = [];
  for (const url of databaseUrls) {
    const rows = await dbQuery<{ payload: unknown }>(url, 'select payload from outbox order by id');
    problems.push(...contractViolations(rows.map((r) => r.payload)));
  }
  if (problems.length)
    throw new Error(`Events that break their published contract:\n${problems.join('\n')}`);
}
