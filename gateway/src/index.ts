export { createGateway, type Gateway, type GatewayOptions } from './gateway';
export { loadGatewayConfig, type GatewayConfig } from './config';
export {
  identityFromAuthorization,
  isIntrospectionOnly,
  isPublicOnly,
  PUBLIC_ROOT_FIELDS,
  type JwtSettings,
} from './auth';
export { queryLimitsPlugin, operationCost, type QueryLimits } from './limits';
export { IdentityForwardingDataSource, type GatewayContext } from './datasource';
export {
  checkSupergraph,
  composeSupergraph,
  readSubgraphs,
  runCompose,
  CompositionError,
  type SubgraphSource,
} from './compose';
export { ACCESS_DOCS_FILE, publicRootFields, renderAccessDocs, runAccessDocs } from './access-docs';
export { SUBGRAPHS, SUPERGRAPH_FILE, subgraphUrlVariable, type SubgraphEntry } from './subgraphs';
export { devTokenFromArgs, signDevToken, type DevTokenOptions } from './dev-token';
