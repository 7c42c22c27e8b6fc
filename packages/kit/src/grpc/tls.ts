import { readFileSync } from 'node:fs';
import { type ChannelCredentials, credentials, ServerCredentials } from '@grpc/grpc-js';

/**
 * Transport security between services (ADR 0010). Off by default, as `npm start` and the tests
 * run on loopback; identity never depends on it, since every call carries a signed token anyway.
 */
export interface GrpcTls {
  /** PEM files: this process's certificate chain and key (server and client side), the CA of its peers. */
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
  /** Servers also demand a client certificate signed by the CA (mutual TLS). */
  requireClientCert: boolean;
}

type TlsVariables = {
  GRPC_TLS: boolean;
  GRPC_TLS_CERT_FILE?: string | undefined;
  GRPC_TLS_KEY_FILE?: string | undefined;
  GRPC_TLS_CA_FILE?: string | undefined;
  GRPC_TLS_CLIENT_AUTH: boolean;
};

/** Reads the PEM files named by the variables; problems are returned as config messages. */
export function grpcTlsFromEnv(c: TlsVariables): { tls?: GrpcTls; problems: string[] } {
  if (!c.GRPC_TLS) return { problems: [] };
  const problems: string[] = [];
  const read = (variable: keyof TlsVariables, file: string | undefined): Buffer => {
    if (!file) {
      problems.push(`${variable}: is required when GRPC_TLS is on`);
      return Buffer.alloc(0);
    }
    try {
      return readFileSync(file);
    } catch (err) {
      problems.push(`${variable}: cannot read ${file} (${(err as NodeJS.ErrnoException).code})`);
      return Buffer.alloc(0);
    }
  };
  const tls: GrpcTls = {
    cert: read('GRPC_TLS_CERT_FILE', c.GRPC_TLS_CERT_FILE),
    key: read('GRPC_TLS_KEY_FILE', c.GRPC_TLS_KEY_FILE),
    ca: read('GRPC_TLS_CA_FILE', c.GRPC_TLS_CA_FILE),
    requireClientCert: c.GRPC_TLS_CLIENT_AUTH,
  };
  return problems.length ? { problems } : { tls, problems };
}

export const serverCredentialsOf = (tls: GrpcTls | undefined): ServerCredentials =>
  tls
    ? ServerCredentials.createSsl(
        tls.ca,
        [{ cert_chain: tls.cert, private_key: tls.key }],
        tls.requireClientCert,
      )
    : ServerCredentials.createInsecure();

export const channelCredentialsOf = (tls: GrpcTls | undefined): ChannelCredentials =>
  tls ? credentials.createSsl(tls.ca, tls.key, tls.cert) : credentials.createInsecure();
