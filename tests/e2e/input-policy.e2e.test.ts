import { rowCount } from '@aftercare/testkit';
import { startSystem, type System } from './harness';

// Issue 11 came from fuzzing the running system through the gateway: the subgraphs' input policy
// refusals (docs/input-policy.md) must reach the client with their code, reason and field.
let sys: System;
beforeAll(async () => {
  sys = await startSystem('e2e-input');
});
afterAll(() => sys?.stop());

it('issue 11: an impossible date reaches the client as BAD_USER_INPUT INVALID_DATE on the argument', async () => {
  const body = await sys.gql('{ dailyReport(date: "2026-12-32") { date } }', {}, ['dispatcher']);
  expect(body.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_DATE',
    field: 'date',
  });
});

it('issue 11: a NUL in a mutation and a too-long search term are refused through the gateway, nothing written', async () => {
  const customers = () => rowCount(sys.customerEnv.env.DATABASE_URL!, 'customer');
  const before = await customers();
  const created = await sys.gql(
    'mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }',
    {
      input: {
        kind: 'PERSON',
        name: 'Zhang\u0000Wei',
        contacts: [{ name: 'Zhang Wei', mobile: '13800138000' }],
        addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' } }],
      },
    },
  );
  expect(created.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'TEXT_CONTAINS_NUL',
    field: 'name',
  });
  expect(await customers()).toBe(before);
  const search = await sys.gql(
    'query ($q: String) { customers(filter: { query: $q }) { totalCount } }',
    {
      q: 'x'.repeat(10_000),
    },
  );
  expect(search.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'TOO_LONG',
    field: 'filter.query',
  });
});
