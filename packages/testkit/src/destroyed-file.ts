import { dbQuery, subgraphData } from './helpers';

/**
 * R-CU-4 destroys a customer's file in a running customer service, as the archive does: its last
 * activity moved past retention (eleven years back), then the destruction requested by the
 * archive keeper and approved by a manager through the customer subgraph. For tests of services
 * that hold references to customer files.
 */
export async function destroyCustomerFile(
  customer: { httpPort: number; databaseUrl: string },
  customerId: string,
): Promise<void> {
  await dbQuery(
    customer.databaseUrl,
    `UPDATE customer SET last_activity_at = now() - interval '11 years' WHERE id = $1`,
    [customerId],
  );
  const { requestArchiveDestruction } = await subgraphData<{
    requestArchiveDestruction: { destruction: { id: string } };
  }>(
    customer.httpPort,
    `mutation($id: ID!) { requestArchiveDestruction(input: { customerId: $id, reason: "retention over" }) { destruction { id } } }`,
    { id: customerId },
    { userId: 'archive-keeper', roles: ['customer_relations'] },
  );
  await subgraphData(
    customer.httpPort,
    `mutation($id: ID!) { approveArchiveDestruction(input: { destructionId: $id }) { destruction { id } } }`,
    { id: requestArchiveDestruction.destruction.id },
    { userId: 'archive-manager', roles: ['manager'] },
  );
}
