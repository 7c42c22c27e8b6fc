import { readFileSync } from 'node:fs';
import { createAccessLog, createLifecycle, createLogger } from '@aftercare/kit';
import { loadGatewayConfig } from './config';
import { createGateway } from './gateway';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const logger = createLogger('gateway', config.logLevel);
  const lifecycle = createLifecycle(logger, { hookTimeoutMs: config.shutdownTimeoutMs });
  lifecycle.installSignalHandlers();

  let supergraphSdl: string;
  try {
    supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  } catch (err) {
    throw new Error(
      `Cannot read the supergraph ${config.supergraphPath} (run \`npm run compose -w @aftercare/gateway\`)`,
      { cause: err },
    );
  }
  const { http, closeSubgraphConnections } = createGateway({
    ...config,
    supergraphSdl,
    logger,
    lifecycle,
    accessLog: createAccessLog(logger, config.accessLogSampleRatio),
  });
  // Steps run in reverse: the subgraph connections close once the HTTP server has drained.
  lifecycle.onShutdown('subgraph connections', closeSubgraphConnections);
  lifecycle.onShutdown('http', () => http.close(config.shutdownTimeoutMs));

  const port = await http.listen(config.host, config.port);
  const adminPort = await http.listenAdmin(config.adminHost, config.adminPort);
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  logger.info(
    {
      subgraphUrls: config.subgraphUrls,
      metrics: `http://${config.adminHost}:${adminPort}/metrics`,
    },
    `GraphQL gateway ready at http://${shownHost}:${port}/graphql`,
  );
}

main().catch((err: unknown) => {
  // Configuration errors already name every bad variable: print them plainly, not as a stack.
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
