export { createGateway, type Gateway, type GatewayOptions } from './gateway';
export { loadGatewayConfig, type GatewayConfig } from './config';
export {
  DEFAULT_JWT_CLOCK_SKEW_S,
  DEFAULT_JWT_MAX_LIFETIME_S,
  identityFromAuthorization,
  isIntrospectionOnly,
  isPublicOnly,
  PUBLIC_ROOT_FIELDS,
  type JwtSettings,
} from './auth';
export {
  createAuthenticator,
  type Authenticate,
  type AuthenticationSettings,
} from './authenticate';
export { DEFAULT_OIDC_MAX_LIFETIME_S, OIDC_ALGORITHMS, type OidcSettings } from './oidc';
export { corsOptions, type CorsSettings } from './cors';
export {
  DEFAULT_LIMITS,
  listSizeEstimator,
  operationCost,
  queryLimitsPlugin,
  type GatewayLimits,
  type QueryLimits,
} from './limits';
export {
  clientAddress,
  createRateLimiter,
  type RateLimiter,
  type RateLimitSettings,
  type TrustedProxies,
} from './rate-limit';
export { IdentityForwardingDataSource, type GatewayContext } from './datasource';
export {
  checkGenerated,
  composeSupergraph,
  readSubgraphs,
  runCompose,
  CompositionError,
  type SubgraphSource,
} from './compose';
export { ACCESS_DOCS_FILE, publicRootFields, renderAccessDocs, runAccessDocs } from './access-docs';
export { SUBGRAPHS, SUPERGRAPH_FILE, subgraphUrlVariable, type SubgraphEntry } from './subgraphs';
export { devTokenFromArgs, signDevToken, type DevTokenOptions } from './dev-token';
export { CLIENT_SCHEMA_FILE, clientSchema } from './client-schema';
export {
  EXAMPLES_DIR,
  exampleErrors,
  readExampleFile,
  readExamples,
  type ExampleFile,
  type ExampleOperation,
} from './examples';
export {
  APPROVED_CHANGES_FILE,
  PUBLISHED_SCHEMA_FILE,
  readApprovedChanges,
  reviewSchema,
  runSchemaCheck,
  type ApprovedChange,
  type SchemaReview,
} from './schema-changes';
