import type { HTTPGraphQLRequest } from '@apollo/server';
import type { Identity } from '../auth';
import { AppError } from '../errors';
import { GATEWAY_SIGNER, IDENTITY_HEADER, type InternalAuth } from './token';

/**
 * A subgraph's `authenticate`: it answers only the gateway. Every request must carry the
 * gateway's identity token made for this subgraph (an anonymous caller of a public field comes
 * as a token without a user); anything else is refused before the request is parsed.
 */
export const gatewayAuthenticator =
  (auth: InternalAuth, subgraph: string) =>
  (request: HTTPGraphQLRequest): Promise<Identity | null> => {
    const token = request.headers.get(IDENTITY_HEADER);
    if (!token) {
      return Promise.reject(
        new AppError('UNAUTHENTICATED', 'Subgraph requests must come through the gateway', {
          reason: 'IDENTITY_MISSING',
        }),
      );
    }
    return auth.verify(token, { audience: subgraph, signers: [GATEWAY_SIGNER] });
  };
