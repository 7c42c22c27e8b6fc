// Benchmark scenarios, each `prepare(gql)` → a request function called with the request index.
const services = ['customer', 'workorder'];

const createCustomer = {
  name: 'customer.createCustomer',
  async prepare(gql) {
    return (i) =>
      gql(
        `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id code } } }`,
        {
          input: {
            kind: 'PERSON',
            name: `Bench ${i}`,
            contacts: [{ name: 'Bench', mobile: `139${String(i).padStart(8, '0')}` }],
            addresses: [{ region: { province: 'Zhejiang', city: 'Hangzhou' } }],
          },
        },
      );
  },
};

const customerWithAssets = {
  name: 'customer.read+assets',
  async prepare(gql) {
    const { createCustomer: c } = await gql(
      `mutation { createCustomer(input: { kind: PERSON, name: "Read", contacts: [{ name: "R", mobile: "13700000000" }], addresses: [{ region: { province: "Zhejiang", city: "Ningbo" } }] }) { customer { id } } }`,
    );
    await gql(
      `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: VEHICLE, model: "EV", serialNumber: "B-1", warrantyStart: "2026-01-01", warrantyEnd: "2028-01-01" }) { asset { id } } }`,
      {
        id: c.customer.id,
      },
    );
    return () =>
      gql(`query($id: ID!) { customer(id: $id) { name assets { id entitlement { kind } } } }`, {
        id: c.customer.id,
      });
  },
};

/** R-WO-1 intake through the gateway: gRPC entitlement check, SLA, numbering, outbox. */
const registerWorkOrder = {
  name: 'workorder.registerWorkOrder',
  async prepare(gql) {
    const { createCustomer: c } = await gql(
      `mutation { createCustomer(input: { kind: PERSON, name: "Intake", contacts: [{ name: "I", mobile: "13700000001" }], addresses: [{ region: { province: "Zhejiang", city: "Hangzhou" } }] }) { customer { id } } }`,
    );
    const { registerAsset: a } = await gql(
      `mutation($id: ID!) { registerAsset(input: { customerId: $id, kind: VEHICLE, model: "EV", vin: "LSVAA4187E2999999", warrantyStart: "2026-01-01", warrantyEnd: "2028-01-01" }) { asset { id } } }`,
      { id: c.customer.id },
    );
    const input = {
      customerId: c.customer.id,
      assetId: a.asset.id,
      contact: { name: 'I', phone: '13700000001' },
      address: { region: { province: 'Zhejiang', city: 'Hangzhou' } },
      areaType: 'URBAN',
      distanceKm: 8,
      faultDescription: 'battery warning',
      channel: 'PHONE',
    };
    // Rotate categories so most requests are not repeat repairs of each other.
    const categories = ['ELECTRICAL', 'MECHANICAL', 'BODY', 'BATTERY', 'SOFTWARE', 'OTHER'];
    return (i) =>
      gql(
        `mutation($input: RegisterWorkOrderInput!) { registerWorkOrder(input: $input) { workOrder { id number } } }`,
        {
          input: { ...input, category: categories[i % categories.length] },
        },
      );
  },
};

module.exports = { services, list: [createCustomer, customerWithAssets, registerWorkOrder] };
