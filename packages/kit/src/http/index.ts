export {
  createHttpServer,
  type HttpServer,
  type HttpServerOptions,
  type ReadinessChecks,
  type CorsOptions,
} from './server';
export { type GraphQLEndpoint, type GraphQLRequestInfo } from './graphql-endpoint';
export { DEFAULT_BODY_LIMIT_BYTES } from './body';
