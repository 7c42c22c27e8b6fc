import { uuidv7 } from '@aftercare/kit';
import {
  type IdempotentCreate,
  idempotentCreateChecks,
  rowCount,
  subgraphCreate,
} from '@aftercare/testkit';
import { createCustomer, manager, servicesForThisFile, upsertStaff } from './setup';

// Issue 11: registerComplaint and proposePenalty take an idempotency key. The complaint's
// references are checked with the real customer service; the penalty's staff member is on the
// real work-order roster.
const s = servicesForThisFile('complaint-idem');
let customerId: string;
const staffId = uuidv7();
beforeAll(async () => {
  customerId = await createCustomer(s, 'Idem Customer', '13800009999');
  await upsertStaff(s, { id: staffId, name: 'Idem Tech' });
});

const rows = (table: string) => () => rowCount(s.complaintEnv.env.DATABASE_URL!, table);
const httpPort = () => s.complaint.httpPort;

const creates: [string, IdempotentCreate][] = [
  [
    'registerComplaint',
    {
      rows: rows('complaint'),
      call: subgraphCreate<{ registerComplaint: { complaint: { id: string } } }>({
        httpPort,
        caller: manager,
        query: `mutation($input: RegisterComplaintInput!) { registerComplaint(input: $input) { complaint { id } } }`,
        variables: (v, key) => ({
          input: {
            complainant: { name: 'Ms Idem', phone: '13800009999' },
            customerId,
            channel: 'PHONE',
            category: 'SERVICE_ATTITUDE',
            content: `nobody called back (${v})`,
            idempotencyKey: key,
          },
        }),
        id: (d) => d.registerComplaint.complaint.id,
      }),
    },
  ],
  [
    'proposePenalty',
    {
      rows: rows('penalty'),
      call: subgraphCreate<{ proposePenalty: { penalty: { id: string } } }>({
        httpPort,
        caller: manager,
        query: `mutation($input: ProposePenaltyInput!) { proposePenalty(input: $input) { penalty { id } } }`,
        variables: (v, key) => ({
          input: {
            ruleCode: 'VIOLATION',
            staffId,
            reference: `inspection ${v}`,
            idempotencyKey: key,
          },
        }),
        id: (d) => d.proposePenalty.penalty.id,
      }),
    },
  ],
];

describe.each(creates)('idempotent %s (GraphQL)', (_name, c) => {
  it.each(idempotentCreateChecks)('%s', (_title, check) => check(c));
});
