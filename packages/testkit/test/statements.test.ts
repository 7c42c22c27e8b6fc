import { statementsIn } from '../src/statements';

const text = [
  '# HELP db_client_statements_total SQL statements sent, by the unit of work that sent them.',
  '# TYPE db_client_statements_total counter',
  'db_client_statements_total{db_transaction_kind="graphql",db_transaction_name="AuditReads"} 3',
  'db_client_statements_total{db_transaction_kind="graphql",db_transaction_name="Other"} 4',
  'db_client_statements_total{db_transaction_kind="outbox_relay",db_transaction_name="outbox_relay"} 6',
  'db_client_pool_connections{state="idle"} 9',
].join('\n');

it('sums the statements of the units of work asked for, by label value or pattern', () => {
  expect(statementsIn(text)).toBe(13);
  expect(statementsIn(text, { kind: 'graphql' })).toBe(7);
  expect(statementsIn(text, { kind: 'graphql', name: 'AuditReads' })).toBe(3);
  expect(statementsIn(text, { name: /Audit|outbox/ })).toBe(9);
  expect(statementsIn(text, { kind: 'event_consumer' })).toBe(0);
});
