export { createSubgraph, type SubgraphContext, type SubgraphOptions } from './subgraph';
export { createErrorFormatter, INTERNAL_ERROR_MESSAGE } from './errors';
export { operationChecksPlugin } from './operation-checks';
export { loadTypeDefs } from './schema';
export {
  type Connection,
  decodeCursor,
  encodeCursor,
  type Page,
  pageFromRows,
  type PageInfo,
  pageOfList,
  pageSize,
  toConnection,
} from './pagination';
export { DateScalar, DateTimeScalar } from './scalars';
export { nullIfNotFound, requestContext, type RequestContext } from './context';
export { applyInputPolicy, LIMIT_DIRECTIVE } from './input-policy';
export {
  ACCESS_DIRECTIVE_SDL,
  type AccessDeclaration,
  AccessDeclarationError,
  accessDeclarations,
  enforceAccess,
  type FieldAccess,
  subgraphAccess,
} from './access';
