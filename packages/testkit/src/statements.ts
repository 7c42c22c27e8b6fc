/**
 * The SQL statements a service has sent, read from its Prometheus text: the sum of the
 * `db_client_statements_total` series whose unit of work matches `kind` and `name` (each a
 * label value, or a pattern it must match; left out, any). How tests pin a path's round trips.
 */
export function statementsIn(
  metricsText: string,
  work: { kind?: string | RegExp; name?: string | RegExp } = {},
): number {
  const matches = (value: string | undefined, wanted?: string | RegExp) =>
    wanted === undefined ||
    (typeof wanted === 'string' ? value === wanted : wanted.test(value ?? ''));
  let total = 0;
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith('db_client_statements_total{')) continue;
    const kind = line.match(/db_transaction_kind="([^"]*)"/)?.[1];
    const name = line.match(/db_transaction_name="([^"]*)"/)?.[1];
    if (matches(kind, work.kind) && matches(name, work.name))
      total += Number(line.split(' ').at(-1));
  }
  return total;
}
