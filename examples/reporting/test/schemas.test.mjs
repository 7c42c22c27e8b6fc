// Validation against the published JSON Schemas (here the test fixtures of the fields the job reads).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadValidator } from '../src/schemas.mjs';

const FIXTURES = fileURLToPath(new URL('./fixtures/schemas/', import.meta.url));
const issued = {
  requisitionId: '0190a1b2-0000-7000-8000-000000000001',
  workOrderId: '0190a1b2-0000-7000-8000-000000000002',
  warehouseCode: 'ST-1',
  documentId: '0190a1b2-0000-7000-8000-000000000003',
  lines: [],
};

test('an event matching its schema passes; one breaking it is refused with the reason', () => {
  const check = loadValidator(FIXTURES);
  assert.deepEqual(check('inventory.parts_issued', '1', issued), { ok: true });
  const bad = check('inventory.parts_issued', '1', { ...issued, documentId: 'not-a-uuid' });
  assert.equal(bad.ok, false);
  assert.match(bad.reason, /documentId/);
});

test('a type or version without a published schema is refused unless allowed', () => {
  assert.equal(loadValidator(FIXTURES)('inventory.parts_issued', '2', issued).ok, false);
  assert.equal(
    loadValidator(FIXTURES, { allowMissing: true })('inventory.parts_issued', '2', issued).ok,
    true,
  );
});

test('a missing schema folder is an error unless missing schemas are allowed', () => {
  const nowhere = fileURLToPath(new URL('./fixtures/none/', import.meta.url));
  assert.throws(() => loadValidator(nowhere), /cannot read the event schemas/);
  assert.equal(loadValidator(nowhere, { allowMissing: true })('survey.answered', '1', {}).ok, true);
});
