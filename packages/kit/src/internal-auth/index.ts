export {
  generateKeyPairJwk,
  KeyConfigError,
  parseSigningKey,
  parseTrustedKeys,
  type KeyPairJwk,
  type SigningKey,
  type TrustedKeys,
} from './keys';
export {
  createInternalAuth,
  GATEWAY_SIGNER,
  IDENTITY_HEADER,
  IDENTITY_TOKEN_LIFETIME_S,
  type InternalAuth,
  type InternalAuthOptions,
  signerOfVerified,
  type VerifyExpectations,
} from './token';
export { internalAuthEnv, requireInternalAuth } from './config';
export { gatewayAuthenticator } from './gateway';
