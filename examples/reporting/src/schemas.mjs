// Validation of each used event's `data` against the published JSON Schemas
// (`<type>.v<version>.json`, JSON Schema 2020-12), so the job relies on the contract the
// producers publish, not on the producers' code.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const FILE = /^(?<type>[a-z0-9_-]+\.[a-z0-9_-]+)\.v(?<version>[0-9]+)\.json$/;

/**
 * Loads every schema file of `dir` and returns `check(type, version, data)`: `{ ok: true }`, or
 * `{ ok: false, reason }` when the data breaks its schema or (unless `allowMissing`) no schema
 * of that type and version was published.
 */
export function loadValidator(dir, { allowMissing = false } = {}) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validators = new Map();
  let files = [];
  try {
    files = readdirSync(dir);
  } catch (error) {
    if (!allowMissing) throw new Error(`cannot read the event schemas in ${dir}: ${error.message}`);
  }
  for (const file of files) {
    const m = FILE.exec(file);
    if (!m) continue;
    const schema = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    validators.set(`${m.groups.type}@${m.groups.version}`, ajv.compile(schema));
  }
  return function check(type, version, data) {
    const validate = validators.get(`${type}@${version}`);
    if (!validate)
      return allowMissing
        ? { ok: true }
        : { ok: false, reason: `no schema ${type}.v${version}.json` };
    if (validate(data)) return { ok: true };
    return { ok: false, reason: ajv.errorsText(validate.errors, { dataVar: 'data' }) };
  };
}
