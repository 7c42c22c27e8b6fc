import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EchoServiceClient,
  EchoServiceService,
} from '@aftercare/proto/gen/aftercare/testing/v1/echo';
import { credentials, Metadata, status } from '@grpc/grpc-js';
import { createGrpcClient, createGrpcServer, type GrpcTls } from '../../src/grpc';
import { IDENTITY_HEADER } from '../../src/internal-auth';
import { authAs } from '../internal-auth/support';
import { EchoRequest, echoHandlers, recordingLogger } from './echo-fixture';

// A throwaway CA with one certificate for the server (127.0.0.1) and one for a client, made with
// the openssl command line, as an operator (or cert-manager) would issue them.
function issueCertificates(): { tls: (name: 'server' | 'client') => GrpcTls } {
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-tls-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=aftercare-test-ca',
  );
  for (const name of ['server', 'client']) {
    openssl(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${name}`,
    );
    writeFileSync(join(dir, `${name}.ext`), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
    );
  }
  const read = (file: string) => readFileSync(join(dir, file));
  return {
    tls: (name) => ({
      cert: read(`${name}.pem`),
      key: read(`${name}.key`),
      ca: read('ca.pem'),
      requireClientCert: true,
    }),
  };
}

describe('gRPC over mutual TLS (GRPC_TLS)', () => {
  const certs = issueCertificates();
  const identity = { userId: 'u-1', roles: ['agent' as const] };
  let address: string;
  const server = createGrpcServer({
    logger: recordingLogger(),
    auth: authAs('testing'),
    audience: 'testing',
    tls: certs.tls('server'),
  });
  server.addService(EchoServiceService, echoHandlers);

  beforeAll(async () => {
    address = `127.0.0.1:${await server.listen('127.0.0.1', 0)}`;
  });
  afterAll(() => server.shutdown(1000));

  const client = (tls?: GrpcTls) =>
    createGrpcClient(EchoServiceClient, address, {
      auth: authAs('caller'),
      identity,
      timeoutMs: 3000,
      ...(tls ? { tls } : {}),
    });

  it('serves a client with a certificate from the same CA', async () => {
    const c = client(certs.tls('client'));
    try {
      expect(await c.echo(EchoRequest.create({ message: 'hi' }))).toMatchObject({
        message: 'hi',
        userId: 'u-1',
      });
    } finally {
      c.close();
    }
  });

  it('refuses a plaintext client', async () => {
    const plain = client();
    try {
      await expect(plain.echo(EchoRequest.create({}))).rejects.toMatchObject({
        code: 'UNAVAILABLE',
      });
    } finally {
      plain.close();
    }
  });

  it('refuses a TLS client without a certificate (mutual TLS)', async () => {
    const noCert = new EchoServiceClient(address, credentials.createSsl(certs.tls('client').ca));
    const metadata = new Metadata();
    metadata.set(IDENTITY_HEADER, await authAs('caller').sign(identity, 'testing'));
    try {
      const code = await new Promise<number>((resolve) =>
        noCert.echo(EchoRequest.create({}), metadata, { deadline: Date.now() + 3000 }, (err) =>
          resolve(err?.code ?? 0),
        ),
      );
      expect(code).toBe(status.UNAVAILABLE);
    } finally {
      noCert.close();
    }
  });
});
