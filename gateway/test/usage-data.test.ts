import * as apolloUsageData from '@apollo/gateway/dist/utilities/opentelemetry';
import { startGateway, startThingsSubgraph } from './fixtures';

// @apollo/gateway's own usage metrics, exported to Apollo's servers when the gateway is made.
const exporter = jest
  .spyOn(apolloUsageData, 'createDataCollectionExporter')
  .mockReturnValue({ shutdown: async () => undefined } as never);
const operatorSetting = process.env.APOLLO_TELEMETRY_DISABLED;

afterAll(() => {
  exporter.mockRestore();
  if (operatorSetting === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
  else process.env.APOLLO_TELEMETRY_DISABLED = operatorSetting;
});

async function gatewayMade(): Promise<void> {
  const subgraph = await startThingsSubgraph();
  const gateway = await startGateway(subgraph.url);
  await Promise.all([gateway.http.close(1000), subgraph.http.close(1000)]);
}

it("sends no usage data to Apollo's servers unless the operator asks for it", async () => {
  delete process.env.APOLLO_TELEMETRY_DISABLED;
  await gatewayMade();
  expect(exporter).not.toHaveBeenCalled();

  process.env.APOLLO_TELEMETRY_DISABLED = 'false';
  await gatewayMade();
  expect(exporter).toHaveBeenCalledTimes(1);
});
